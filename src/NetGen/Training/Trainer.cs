using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using NetGen.Data;
using NetGen.Threading;

namespace NetGen.Training;

/// <summary>
/// The one training loop: shuffle, batch, forward, loss, backward, optimizer step, metrics; validation and the
/// callbacks (progress output included) hang off it.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static History Fit(Network model, Dataset data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DataChecks.Validate(model.Info, data);
        model.ThrowIfNotAdapted(); // before the callbacks start, not at the first batch
        using ModelOperation operation = model.BeginOperation();
        if (model.Fitting)
        {
            // A callback may predict or evaluate, but a second Fit would reset the first one's stop flag and history.
            throw new InvalidOperationException($"{model.Info.Name} is already in Fit (this call comes from one of its callbacks): Fit cannot run inside itself.");
        }

        model.Fitting = true;
        try
        {
            return FitCore(model, data, options);
        }
        finally
        {
            model.Fitting = false;
            model.UseSampleWeights(null, 0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static History FitCore(Network model, Dataset data, FitOptions options)
    {
        // Keras's validation_split holds out the last samples, before shuffling.
        Dataset? validation = options.ValidationData;
        int trainCount = data.Count;
        int validationStart = 0, validationCount = 0;
        if (validation is not null)
        {
            DataChecks.Validate(model.Info, validation, "validationData");
            validationCount = validation.Count;
        }
        else if (options.ValidationSplit > 0)
        {
            trainCount = (int)Math.Floor(data.Count * (1.0 - options.ValidationSplit)); // Keras's split_at
            validationStart = trainCount;
            validationCount = data.Count - trainCount;
            if (trainCount == 0 || validationCount == 0)
            {
                throw new ArgumentException(
                    $"validationSplit {options.ValidationSplit} of {data.Count} samples leaves {trainCount} for training and {validationCount} for validation; both need at least one.");
            }

            validation = data;
        }

        model.StopTraining = false;

        int batchSize = Math.Min(options.BatchSize, trainCount);
        int steps = (trainCount + batchSize - 1) / batchSize;
        int inSize = data.FeatureSize, tSize = data.TargetSize;
        int[] order = new int[trainCount];
        for (int i = 0; i < trainCount; i++)
        {
            order[i] = i;
        }

        // A new run's generators, or those of the run this Fit resumes (initialEpoch), with its order replayed.
        Rng rng = TrainingState.Start(model, options, order);
        TrainingState progress = model.Progress!;

        // Allocated once per Fit: the steps themselves allocate nothing. Two sets of batch buffers: a helper thread
        // gathers the next batch into one while the current batch trains from the other (BatchGather).
        var x = new float[batchSize * inSize];
        var y = new float[batchSize * tSize];
        var xNext = new float[batchSize * inSize];
        var yNext = new float[batchSize * tSize];
        var gather = new BatchGather(data, order);
        bool hasAccuracy = Metrics.HasAccuracy(model.Info.Loss);
        float[]? weights = FitWeights.Resolve(model.Info, data, options.ClassWeight, options.SampleWeight);
        float[]? batchWeights = weights is null ? null : new float[batchSize];

        // Keras splits sample_weight with the data, so validationSplit's samples keep theirs for val_loss; class weights
        // only weigh training, and explicit validationData has no weights.
        float[]? validationWeights = options.ValidationData is null && options.SampleWeight is not null ? weights : null;
        var metrics = MetricSet.For(model.Info, model.CompiledMetrics);
        MetricSet? validationMetrics = validation is null ? null : MetricSet.For(model.Info, model.CompiledMetrics);
        var history = new History();
        var callbacks = new List<Callback>(options.Callbacks.Count + 1);
        if (options.Verbose > 0)
        {
            callbacks.Add(new ProgressLogger(options.Verbose, Console.Out, interactive: !Console.IsOutputRedirected, options.Epochs));
        }

        callbacks.AddRange(options.Callbacks);
        foreach (Callback c in callbacks)
        {
            c.OnTrainBegin(model);
        }

        if (options.ValidationData is null && options.ValidationSplit > 0 && SplitClasses.Warning(model.Info, data, trainCount, options.ValidationSplit) is { } warning)
        {
            history.Warn(warning);
            foreach (Callback c in callbacks)
            {
                c.OnWarning(model, warning);
            }
        }

        try
        {
            for (int epoch = options.InitialEpoch; epoch < options.Epochs && !model.StopTraining; epoch++)
            {
                foreach (Callback c in callbacks)
                {
                    c.OnEpochBegin(model, epoch);
                }

                long start = Stopwatch.GetTimestamp();
                float learningRate = model.Optimizer.LearningRate;
                if (options.Shuffle)
                {
                    rng.Shuffle(order);
                    progress.Shuffles++;
                }

                double lossSum = 0;
                long correct = 0, judged = 0;
                int seen = 0;
                metrics.Reset();

                // The epoch's first batch is gathered here; every later one while the batch before it trains.
                gather.Prepare(0, Math.Min(batchSize, trainCount), x, y, batchSize, Math.Min(batchSize, trainCount - batchSize));
                gather.Run();
                for (int step = 0; step < steps; step++)
                {
                    int first = step * batchSize, b = Math.Min(batchSize, trainCount - first);
                    int nextFirst = first + b, nextCount = Math.Min(batchSize, trainCount - nextFirst);
                    bool posted = false;
                    if (nextCount > 0)
                    {
                        int afterNext = nextFirst + nextCount;
                        gather.Prepare(nextFirst, nextCount, xNext, yNext, afterNext, Math.Min(batchSize, trainCount - afterNext));
                        posted = WorkerPool.TryPost(gather);
                    }

                    float loss;
                    try
                    {
                        ReadOnlySpan<float> xb = x.AsSpan(0, b * inSize), yb = y.AsSpan(0, b * tSize);
                        ReadOnlySpan<float> outputs = model.Forward(xb, b, training: true);
                        if (hasAccuracy)
                        {
                            (int ok, int total) = Metrics.Accuracy(model.Info.Loss, outputs, yb, b);
                            correct += ok;
                            judged += total;
                        }

                        metrics.Add(outputs, yb, b);
                        if (batchWeights is not null)
                        {
                            // The batch's samples are order[first..first + b), as BatchGather gathered them.
                            for (int i = 0; i < b; i++)
                            {
                                batchWeights[i] = weights![order[first + i]];
                            }

                            model.UseSampleWeights(batchWeights, b);
                        }

                        loss = model.Backward(xb, yb, b);
                        model.UseSampleWeights(null, 0); // a callback's Evaluate must see the plain loss
                        if (!float.IsFinite(loss))
                        {
                            // Checked before the step, so the parameters still hold the last good values.
                            throw new TrainingDivergedException(epoch, step, loss,
                                DivergenceCause.Find(model.Info, model.Parameters, model.Optimizer.LearningRate));
                        }

                        model.Optimizer.Step(model.TrainableParameters, model.TrainableGradients); // a weights write of its own
                    }
                    catch when (posted)
                    {
                        // Never leave a helper writing into a buffer after Fit is over; the step's own exception is the
                        // one to report, so a failure of the gather is dropped here.
                        JoinQuietly();
                        throw;
                    }

                    if (posted)
                    {
                        WorkerPool.Join();
                    }

                    if (nextCount > 0)
                    {
                        if (!posted)
                        {
                            gather.Run();
                        }

                        (x, xNext) = (xNext, x);
                        (y, yNext) = (yNext, y);
                    }

                    lossSum += (double)loss * b;
                    seen += b;
                    var batchLogs = new BatchLogs(epoch, step + 1, steps, (float)(lossSum / seen), hasAccuracy ? (float)correct / judged : null, metrics.Running());
                    foreach (Callback c in callbacks)
                    {
                        c.OnBatchEnd(model, batchLogs);
                    }

                    if (model.StopTraining)
                    {
                        break; // as Keras 3: a batch callback stops after its batch, and the epoch still ends (validation, OnEpochEnd)
                    }
                }

                Evaluation? validated = validation is null ? null : Evaluate(model, validation, validationStart, validationCount, options.BatchSize, validationMetrics!, validationWeights);
                IReadOnlyDictionary<string, float> epochMetrics = metrics.IsEmpty ? EpochLogs.NoMetrics : EpochMetrics(metrics, validationMetrics);
                var logs = new EpochLogs(epoch, (float)(lossSum / seen), hasAccuracy ? (float)correct / judged : null,
                    Stopwatch.GetElapsedTime(start), validated?.Loss, validated?.Accuracy)
                {
                    LearningRate = learningRate,
                    Metrics = epochMetrics,
                };
                progress.Epoch = epoch + 1;
                history.Add(logs);
                foreach (Callback c in callbacks)
                {
                    c.OnEpochEnd(model, logs);
                }
            }
        }
        catch (TrainingDivergedException diverged)
        {
            // The epochs before the failure are not lost: the exception carries their history, and the callbacks
            // finish as after a last epoch (EarlyStopping restores its best weights, the progress line ends).
            diverged.History = history;
            List<Exception>? failures = null;
            foreach (Callback c in callbacks)
            {
                try
                {
                    c.OnTrainEnd(model, history);
                }
                catch (Exception e)
                {
                    (failures ??= []).Add(e);
                }
            }

            if (failures is not null)
            {
                // Neither the divergence nor what went wrong after it may be lost.
                failures.Insert(0, diverged);
                throw new AggregateException("Training diverged, and a callback failed while training ended; see the inner exceptions.", failures);
            }

            throw;
        }

        foreach (Callback c in callbacks)
        {
            c.OnTrainEnd(model, history);
        }

        return history;
    }

    /// <summary>Finishes a posted gather while another exception is already on its way out.</summary>
    private static void JoinQuietly()
    {
        try
        {
            WorkerPool.Join();
        }
        catch (Exception)
        {
            // Secondary: the step's exception, which is being rethrown, says what went wrong.
        }
    }

    /// <summary>
    /// Mean loss, accuracy and compiled metrics of <paramref name="model"/> over <paramref name="data"/>, in inference
    /// mode. With <paramref name="sampleWeight"/> (one per sample, as Keras's <c>evaluate(sample_weight=…)</c>) the loss
    /// is the weighted sum of the sample losses over the sample count; accuracy and the metrics stay unweighted.
    /// </summary>
    public static Evaluation Evaluate(Network model, Dataset data, int batchSize = 32, IReadOnlyList<float>? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        DataChecks.Validate(model.Info, data);
        model.ThrowIfNotAdapted();
        float[]? weights = FitWeights.Resolve(model.Info, data, null, sampleWeight);
        return Evaluate(model, data, 0, data.Count, batchSize, MetricSet.For(model.Info, model.CompiledMetrics), weights);
    }

    /// <summary>The compiled metrics' values of one epoch, training then validation (a new dictionary: the logs keep it).</summary>
    private static Dictionary<string, float> EpochMetrics(MetricSet metrics, MetricSet? validationMetrics)
    {
        var values = new Dictionary<string, float>();
        metrics.CopyTo(values, validation: false);
        validationMetrics?.CopyTo(values, validation: true);
        return values;
    }

    /// <summary>
    /// Evaluates samples [<paramref name="start"/>, +<paramref name="count"/>) with the inference pass, which only reads
    /// the model: any number of threads may do this at once, and all of it sees the weights of one completed step.
    /// <paramref name="weights"/> (one per sample of <paramref name="data"/>) weigh the loss, and travel with the call.
    /// </summary>
    private static Evaluation Evaluate(Network model, Dataset data, int start, int count, int batchSize, MetricSet metrics, float[]? weights = null)
    {
        // A convolutional model keeps every layer's output per sample: a huge batch would overflow the scratch's length.
        long floats = (long)Math.Min(batchSize, count) * model.InferenceScratchFloats;
        if (floats > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                $"Evaluating {Math.Min(batchSize, count)} samples at once needs {floats:N0} floats of scratch for {model.Info.Name}, more than an array holds: use a batchSize of at most {Array.MaxLength / model.InferenceScratchFloats:N0}.");
        }

        float[] scratch = ScratchCache.Rent((int)floats);
        WeightsGate gate = model.Weights;
        int version = gate.EnterRead();
        bool pinned = false;
        Evaluation result;
        try
        {
            do
            {
                result = EvaluateOnce(model, data, start, count, batchSize, metrics, scratch, weights);
            }
            while (!gate.TryExitRead(ref version, ref pinned));
        }
        finally
        {
            if (pinned)
            {
                gate.Unpin();
            }
        }

        ScratchCache.Return(scratch);
        return result;
    }

    /// <summary>One pass over the samples through the inference pass into <paramref name="scratch"/>.</summary>
    private static Evaluation EvaluateOnce(Network model, Dataset data, int start, int count, int batchSize, MetricSet metrics, float[] scratch, float[]? weights)
    {
        metrics.Reset(); // a pass that lost its weights to a training step starts over
        bool hasAccuracy = Metrics.HasAccuracy(model.Info.Loss);
        RegressionMetrics? regression = hasAccuracy ? null : new RegressionMetrics(model.Info.OutputSize);
        double lossSum = 0;
        long correct = 0, judged = 0;
        int inSize = data.FeatureSize, tSize = data.TargetSize;
        for (int first = start; first < start + count; first += batchSize)
        {
            int b = Math.Min(batchSize, start + count - first);
            ReadOnlySpan<float> yb = data.Targets.Slice(first * tSize, b * tSize);
            ReadOnlySpan<float> xb = data.Features.Slice(first * inSize, b * inSize);
            ReadOnlySpan<float> outputs = model.Infer(xb, b, scratch);
            if (hasAccuracy)
            {
                (int ok, int total) = Metrics.Accuracy(model.Info.Loss, outputs, yb, b);
                correct += ok;
                judged += total;
            }
            else
            {
                regression!.Add(outputs, yb);
            }

            metrics.Add(outputs, yb, b);
            lossSum += (double)model.InferenceLoss(scratch, yb, b, weights is null ? default : weights.AsSpan(first, b)) * b;
        }

        var evaluation = new Evaluation((float)(lossSum / count), hasAccuracy ? (float)correct / judged : null,
            (float?)regression?.MeanAbsoluteError, (float?)regression?.R2);
        if (metrics.IsEmpty)
        {
            return evaluation;
        }

        var values = new Dictionary<string, float>();
        metrics.CopyTo(values, validation: false);
        return evaluation with { Metrics = values };
    }
}
