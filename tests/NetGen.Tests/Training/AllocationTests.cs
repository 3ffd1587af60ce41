using System;
using NetGen.Optimizers;
using NetGen.Tests.Models;

namespace NetGen.Tests.Training;

/// <summary>After warm-up, a training step and a prediction allocate nothing: buffers are sized once and reused.</summary>
public class AllocationTests
{
    [Fact]
    public void Training_step_allocates_nothing_after_warm_up()
    {
        var model = new Mlp(seed: 1);
        var optimizer = new Adam();
        const int batch = 32;
        var x = new float[batch * Mlp.InputSize];
        var y = new float[batch];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 255) / 255f;
        }

        for (int i = 0; i < batch; i++)
        {
            y[i] = i % 10;
        }

        void Step()
        {
            model.Forward(x, batch, training: true);
            model.Backward(x, y, batch);
            optimizer.Step(model.Parameters, model.Gradients);
        }

        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            Step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Single_prediction_allocates_nothing_after_warm_up()
    {
        var model = new Mlp(seed: 1);
        var x = new float[Mlp.InputSize];
        var y = new float[Mlp.OutputSize];
        model.Predict(x, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            model.Predict(x, y);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
