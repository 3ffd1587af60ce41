using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// Decides what is a legal network and infers every shape: the one source of truth shared by the generator
/// (which emits only for a model with no errors) and the analyzer (which reports the findings). Pure: plain
/// data in, plain data out.
/// </summary>
internal static class NetworkValidator
{
    /// <summary>Parameter counts above this are refused: 2^28 floats is 1 GiB of weights plus as much again for gradients.</summary>
    public const long MaxParameters = 1L << 28;

    /// <summary>The oldest C# the generated code compiles as: it uses file-scoped namespaces (C# 10) and nullable annotations (C# 8).</summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp10;

    public static (List<Finding> Findings, NetworkSpec? Spec) Validate(NetworkDeclaration model)
    {
        var findings = new List<Finding>();
        int seq = model.SequentialAttributeIndex;
        bool malformed = seq < 0 || model.SequentialMalformed;
        foreach (LayerDeclaration layer in model.Layers)
        {
            malformed |= layer.Malformed;
        }

        // Declaration.
        if (!model.IsPartial)
        {
            findings.Add(Error(DiagnosticIds.NotPartial, Finding.OnClass, null, model.ClassName));
        }

        foreach (ContainingType outer in model.ContainingTypes)
        {
            if (!outer.IsPartial)
            {
                findings.Add(Error(DiagnosticIds.ContainingTypeNotPartial, Finding.OnClass, null, model.ClassName, outer.Name));
            }
        }

        if (model.IsGeneric)
        {
            findings.Add(Error(DiagnosticIds.GenericModel, Finding.OnClass, null, model.ClassName));
        }

        if (model.IsStatic)
        {
            findings.Add(Error(DiagnosticIds.StaticModel, Finding.OnClass, null, model.ClassName));
        }

        bool classClash = System.Array.IndexOf(GeneratedMembers.Fixed, model.ClassName) >= 0;
        if (classClash)
        {
            findings.Add(Error(DiagnosticIds.ClassNameClash, Finding.OnClass, null, model.ClassName));
        }

        if (model.LanguageVersion < (int)MinimumLanguageVersion)
        {
            findings.Add(Error(DiagnosticIds.LanguageVersionTooOld, Finding.OnClass, null, model.ClassName,
                ((LanguageVersion)model.LanguageVersion).ToDisplayString(), MinimumLanguageVersion.ToDisplayString()));
        }

        if (model.IsRecord)
        {
            findings.Add(Error(DiagnosticIds.RecordModel, Finding.OnClass, null, model.ClassName));
        }

        // A file-local type cannot span files: the generated part would declare another type of the same name, and the
        // model's code would silently land on it. A containing type is as much a problem as the model itself.
        if (model.IsFileLocal)
        {
            findings.Add(Error(DiagnosticIds.FileLocalModel, Finding.OnClass, null, model.ClassName, "is declared 'file'"));
        }
        else
        {
            foreach (ContainingType outer in model.ContainingTypes)
            {
                if (outer.IsFileLocal)
                {
                    findings.Add(Error(DiagnosticIds.FileLocalModel, Finding.OnClass, null, model.ClassName, "is nested in '" + outer.Name + "', which is declared 'file'"));
                }
            }
        }

        // The generated constructor passes the layout to NetGen.Network's; with a primary constructor it would have to
        // call this(...) instead (CS8862), and the primary one would call a base constructor that does not exist (CS7036).
        if (model.HasPrimaryConstructor)
        {
            findings.Add(Error(DiagnosticIds.PrimaryConstructor, Finding.OnParameterList, null, model.ClassName));
        }

        if (model.BaseTypeName is not null)
        {
            findings.Add(Error(DiagnosticIds.HasBaseClass, Finding.OnClass, null, model.ClassName, model.BaseTypeName));
        }

        if (seq >= 0 && model.Loss is < LossKind.MeanSquaredError or > LossKind.SparseCategoricalCrossEntropy)
        {
            findings.Add(Error(DiagnosticIds.UnknownLoss, seq, "Loss", Num((int)model.Loss)));
        }

        if (seq >= 0 && model.Layers.Count == 0)
        {
            findings.Add(Error(DiagnosticIds.NoLayers, seq, null, model.ClassName));
        }

        // Shapes are inferred only from a well-formed [Sequential] with a valid input shape, and only while they are known:
        // a layer whose output size cannot be known stops the checks that need it until a Dense layer, whose output is
        // its units whatever it receives, makes the shape known again. So every independent mistake is reported in one
        // build, and none is reported again as a mismatch it causes further on.
        bool shapeKnown = seq >= 0 && !model.SequentialMalformed;
        if (seq >= 0 && !model.SequentialMalformed && model.InputShape.Count == 0)
        {
            findings.Add(Error(DiagnosticIds.MissingInputShape, seq, "inputShape", model.ClassName));
            shapeKnown = false;
        }

        for (int i = 0; i < model.InputShape.Count; i++)
        {
            if (model.InputShape[i] <= 0)
            {
                findings.Add(new Finding(DiagnosticIds.NonPositiveInputDimension, seq, "inputShape", i, Args(
                    string.Join(", ", model.InputShape), model.ClassName, (i + 1).ToString(CultureInfo.InvariantCulture), model.InputShape[i].ToString(CultureInfo.InvariantCulture))));
                shapeKnown = false;
            }
        }

        // Names: Keras's defaults (dense, dense_1, …), then uniqueness of both the name and its C# identifier, then of
        // every member the emitter names after the layer, against the class name, the members every model has, and the
        // other layers' members.
        string[] names = LayerNames(model.Layers);
        string[] identifiers = new string[names.Length];
        var seen = new Dictionary<string, int>();
        var members = new Dictionary<string, int>();
        for (int i = 0; i < names.Length; i++)
        {
            LayerDeclaration layer = model.Layers[i];
            string? nameArgument = layer.Name is null ? null : "Name";
            if (layer.Name is not null && !IsValidName(layer.Name))
            {
                findings.Add(Error(DiagnosticIds.InvalidLayerName, layer.AttributeIndex, nameArgument, layer.Name, NotAnIdentifier));
                identifiers[i] = "Layer" + i.ToString(CultureInfo.InvariantCulture);
                continue;
            }

            identifiers[i] = ToIdentifier(names[i]);
            string[] layerMembers = [.. GeneratedMembers.OfLayer(layer.Kind, layer.Activation, layer.Rate, identifiers[i])];
            if (!classClash && System.Array.IndexOf(layerMembers, model.ClassName) >= 0)
            {
                findings.Add(Error(DiagnosticIds.ClassNameClash, Finding.OnClass, null, model.ClassName));
                classClash = true;
            }

            if (seen.TryGetValue(identifiers[i], out int first))
            {
                findings.Add(Error(DiagnosticIds.DuplicateLayerName, layer.AttributeIndex, nameArgument,
                    names[i], Ordinal(first), Ordinal(i), names[first]));
                continue;
            }

            seen.Add(identifiers[i], i);
            foreach (string member in layerMembers)
            {
                if (System.Array.IndexOf(GeneratedMembers.Fixed, member) >= 0)
                {
                    findings.Add(Error(DiagnosticIds.InvalidLayerName, layer.AttributeIndex, nameArgument, names[i],
                        "its generated member '" + member + "' would clash with the model's own '" + member + "': choose another name"));
                    break;
                }

                if (members.TryGetValue(member, out int other))
                {
                    findings.Add(Error(DiagnosticIds.DuplicateLayerName, layer.AttributeIndex, nameArgument,
                        names[i], Ordinal(other), Ordinal(i), names[other]));
                    break;
                }

                members.Add(member, i);
            }
        }

        // The user's own members, against everything generated: a field, property, event or nested type clashes with any
        // generated name (CS0102), a method with a generated member that is not a method, or with a generated method of
        // the same signature (CS0111); other overloads are legal.
        if (model.UserMembers.Count > 0)
        {
            var generated = new HashSet<string>(GeneratedMembers.Fixed);
            for (int i = 0; i < names.Length; i++)
            {
                generated.UnionWith(GeneratedMembers.OfLayer(model.Layers[i].Kind, model.Layers[i].Activation, model.Layers[i].Rate, identifiers[i]));
            }

            generated.ExceptWith(GeneratedMembers.Methods);
            foreach (string entry in model.UserMembers)
            {
                int paren = entry.IndexOf('(');
                bool clash = paren < 0
                    ? generated.Contains(entry) || System.Array.IndexOf(GeneratedMembers.Methods, entry) >= 0
                    : generated.Contains(entry.Substring(0, paren)) || System.Array.IndexOf(GeneratedMembers.MethodSignatures, entry) >= 0;
                if (clash)
                {
                    string shown = entry.StartsWith(".ctor(", System.StringComparison.Ordinal) ? model.ClassName + entry.Substring(5) : entry;
                    findings.Add(Error(DiagnosticIds.MemberClash, Finding.OnMember, entry, model.ClassName, shown.Replace("global::", string.Empty)));
                }
            }
        }

        // A constructor of the user's own must run the generated one (through this(...)): calling NetGen.Network's,
        // implicitly or by base(...), would leave the layers unset. One of the generated signature is NG0016's already.
        foreach (string entry in model.UnchainedConstructors)
        {
            if (System.Array.IndexOf(GeneratedMembers.MethodSignatures, entry) < 0)
            {
                findings.Add(Error(DiagnosticIds.ConstructorNotChained, Finding.OnMember, entry,
                    model.ClassName + entry.Substring(5).Replace("global::", string.Empty), model.ClassName));
            }
        }

        // The layers are one ordered list, which two partial declarations cannot give: the compiler merges their
        // attributes in the order it reads the files. The declaration with [Sequential] owns the layers if it has any
        // (else the first layer's does); a layer on any other declaration is refused, and no shape is inferred.
        bool orderKnown = true;
        if (model.Layers.Count > 0)
        {
            int owner = model.Layers[0].Part;
            foreach (LayerDeclaration layer in model.Layers)
            {
                if (layer.Part == model.SequentialPart)
                {
                    owner = layer.Part;
                    break;
                }
            }

            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (model.Layers[i].Part != owner)
                {
                    findings.Add(Error(DiagnosticIds.LayersInSeveralParts, model.Layers[i].AttributeIndex, null, names[i], model.ClassName));
                    orderKnown = false;
                }
            }
        }

        shapeKnown &= orderKnown;
        bool complete = shapeKnown; // every layer's shape was known: the only case a NetworkSpec is built
        bool countExact = shapeKnown; // the parameter count so far is exact, so NG0105 can name it

        // Layer parameters, and shapes inferred layer by layer.
        var specs = new List<LayerSpec>();
        // Sizes are longs, so a shape past int.MaxValue (50,000 × 50,000) is counted exactly, not clamped.
        var shape = new List<long>();
        foreach (int dimension in model.InputShape)
        {
            shape.Add(dimension);
        }

        string? firstDenseName = null, normalizationName = null;
        bool channelReported = false; // NG0126 is reported once, at the first spatial layer that meets a height × width input
        string producer = "the input"; // NG0107's "... but {2} produces": the input, or the previous layer's quoted name
        long offset = 0; // trainable parameters so far
        long statistics = 0; // non-trainable ones (Normalization), which count against the limit too
        for (int i = 0; i < model.Layers.Count; i++)
        {
            LayerDeclaration layer = model.Layers[i];
            if (layer.Malformed)
            {
                shapeKnown = complete = countExact = false;
                continue;
            }

            string name = names[i];
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    if (layer.Units <= 0)
                    {
                        findings.Add(Error(DiagnosticIds.NonPositiveUnits, layer.AttributeIndex, "units", name, Num(layer.Units)));
                    }

                    if (layer.Activation is < ActivationKind.Linear or > ActivationKind.Softmax)
                    {
                        findings.Add(Error(DiagnosticIds.UnknownActivation, layer.AttributeIndex, "activation", name, Num((int)layer.Activation)));
                    }

                    // The alpha runs as a float: 1e39 is +∞ there, and an infinite slope turns every negative input into ∓∞.
                    if (layer.Activation == ActivationKind.LeakyReLU && (double.IsNaN(layer.Alpha) || double.IsInfinity(layer.Alpha) || float.IsInfinity((float)layer.Alpha)))
                    {
                        string shown = layer.Alpha.ToString("R", CultureInfo.InvariantCulture) + (double.IsInfinity(layer.Alpha) ? string.Empty : " (infinity as a float)");
                        findings.Add(Error(DiagnosticIds.NonFiniteAlpha, layer.AttributeIndex, "Alpha", name, double.IsNaN(layer.Alpha) ? "NaN" : shown));
                    }
                    else if (layer.Activation == ActivationKind.LeakyReLU && layer.Alpha < 0)
                    {
                        findings.Add(Error(DiagnosticIds.NegativeAlpha, layer.AttributeIndex, "Alpha", name, layer.Alpha.ToString("R", CultureInfo.InvariantCulture)));
                    }
                    else if (layer.AlphaDeclared && layer.Activation != ActivationKind.LeakyReLU)
                    {
                        findings.Add(new Finding(DiagnosticIds.AlphaWithoutLeakyRelu, layer.AttributeIndex, "Alpha", 0, Args(name, layer.Activation.ToString())));
                    }

                    // Emitted as a float: a factor beyond float's range would be infinite at run time.
                    if (!(layer.KernelL2 >= 0 && !float.IsInfinity((float)layer.KernelL2)))
                    {
                        findings.Add(Error(DiagnosticIds.InvalidKernelL2, layer.AttributeIndex, "KernelL2", name, layer.KernelL2.ToString("R", CultureInfo.InvariantCulture)));
                    }

                    if (layer.Units <= 0)
                    {
                        shapeKnown = complete = countExact = false;
                        break;
                    }

                    if (!orderKnown)
                    {
                        break;
                    }

                    if (!shapeKnown)
                    {
                        countExact = false;
                    }
                    else if (shape.Count != 1)
                    {
                        findings.Add(Error(DiagnosticIds.NeedsFlatten, layer.AttributeIndex, null, name, string.Join(", ", shape)));
                        complete = countExact = false;
                    }
                    else
                    {
                        // 0 is the attribute's default, "not declared"; a negative size is declared, and always wrong.
                        if (layer.InputSize != 0 && layer.InputSize != shape[0])
                        {
                            findings.Add(new Finding(DiagnosticIds.InputSizeMismatch, layer.AttributeIndex, "InputSize", 0,
                                Args(name, Num(layer.InputSize), producer, Num(shape[0])),
                                new[] { new DiagnosticProperty(DiagnosticProperties.InferredInputSize, Num(shape[0])) }.ToEquatableArray()));
                        }

                        long kernel = Multiply(shape[0], layer.Units);
                        if (countExact && TooMany(offset, statistics, kernel, layer.Units) is { } count)
                        {
                            findings.Add(Error(DiagnosticIds.TooManyParameters, layer.AttributeIndex, "units", name, count, MaxParameters.ToString("N0", CultureInfo.InvariantCulture)));
                            complete = countExact = false;
                        }
                        else if (countExact)
                        {
                            specs.Add(new LayerSpec(LayerKind.Dense, name, identifiers[i], (int)shape[0], new[] { layer.Units }.ToEquatableArray(), layer.Units,
                                layer.Activation, layer.Activation == ActivationKind.LeakyReLU ? layer.Alpha : 0, 0, (int)offset, (int)(offset + kernel), layer.KernelL2));
                            offset += kernel + layer.Units;
                        }
                    }

                    // Whatever it receives, a Dense layer outputs its units.
                    shape = [layer.Units];
                    shapeKnown = true;
                    break;

                case LayerKind.Dropout:
                    // The rate is emitted, and used, as a float: one just under 1 (0.99999999999) rounds to 1, which drops
                    // everything and makes training throw.
                    if (!(layer.Rate >= 0 && (float)layer.Rate < 1f))
                    {
                        string shown = layer.Rate.ToString("R", CultureInfo.InvariantCulture) + (layer.Rate < 1 && (float)layer.Rate >= 1f ? " (1 as a float)" : string.Empty);
                        findings.Add(Error(DiagnosticIds.DropoutRateOutOfRange, layer.AttributeIndex, "rate", name, shown));
                    }

                    if (shapeKnown)
                    {
                        int size = Clamp(Product(shape));
                        specs.Add(new LayerSpec(LayerKind.Dropout, name, identifiers[i], size, Ints(shape), size, ActivationKind.Linear, 0, layer.Rate, (int)offset, (int)offset));
                    }

                    break;

                case LayerKind.Flatten:
                    if (shapeKnown)
                    {
                        // A size past int.MaxValue never reaches the emitter: the Dense layer every model ends with, or
                        // a Normalization, needs at least as many parameters, over the limit.
                        shape = [Product(shape)];
                        int size = Clamp(shape[0]);
                        specs.Add(new LayerSpec(LayerKind.Flatten, name, identifiers[i], size, Ints(shape), size, ActivationKind.Linear, 0, 0, (int)offset, (int)offset));
                    }

                    break;

                case LayerKind.Normalization:
                    if (firstDenseName is not null)
                    {
                        findings.Add(Error(DiagnosticIds.NormalizationAfterDense, layer.AttributeIndex, null, name, firstDenseName));
                    }
                    else if (normalizationName is not null)
                    {
                        findings.Add(Error(DiagnosticIds.DuplicateNormalization, layer.AttributeIndex, null, name, normalizationName));
                    }

                    normalizationName ??= name;
                    if (!shapeKnown)
                    {
                        break;
                    }

                    if (shape.Count != 1)
                    {
                        findings.Add(Error(DiagnosticIds.NeedsFlatten, layer.AttributeIndex, null, name, string.Join(", ", shape)));
                        shapeKnown = complete = countExact = false;
                        break;
                    }

                    // Its statistics (mean and variance per feature, and the count) are non-trainable and go after every
                    // trainable parameter; offsets are set below. They are parameters all the same: memory, files.
                    long stats = Multiply(2, shape[0]);
                    stats = stats == long.MaxValue ? stats : stats + 1; // saturated like Multiply: a wrapped sum would pass the check
                    if (!countExact)
                    {
                        break;
                    }

                    if (TooMany(offset, statistics, stats, 0) is { } reached)
                    {
                        findings.Add(Error(DiagnosticIds.TooManyParameters, layer.AttributeIndex, null, name, reached, MaxParameters.ToString("N0", CultureInfo.InvariantCulture)));
                        complete = countExact = false;
                        break;
                    }

                    statistics += stats;
                    specs.Add(new LayerSpec(LayerKind.Normalization, name, identifiers[i], (int)shape[0], Ints(shape), (int)shape[0], ActivationKind.Linear, 0, 0, 0, 0));
                    break;
            }

            if (WindowLayerRules.Handles(layer.Kind))
            {
                // Issue 14's layers: their own checks and shapes live in WindowLayerRules.
                bool sound = WindowLayerRules.CheckArguments(layer, name, findings);
                if (!sound || !orderKnown || !shapeKnown)
                {
                    shapeKnown = complete = countExact = false;
                }
                else if (WindowLayerRules.Infer(layer, name, shape, producer, model, ref channelReported, findings) is not { } inferred)
                {
                    shapeKnown = complete = countExact = false;
                }
                else
                {
                    (long trainable, long fixedCount) = WindowLayerRules.Parameters(layer, inferred);
                    if (countExact && TooMany(offset, statistics, trainable, fixedCount) is { } reached)
                    {
                        findings.Add(Error(DiagnosticIds.TooManyParameters, layer.AttributeIndex, layer.Kind == LayerKind.Conv2D ? "filters" : null,
                            name, reached, MaxParameters.ToString("N0", CultureInfo.InvariantCulture)));
                        complete = countExact = false;
                    }

                    if (WindowLayerRules.CheckActivations(layer, name, inferred.Output, findings))
                    {
                        complete = countExact = false;
                    }

                    if (countExact)
                    {
                        offset += trainable;
                        statistics += fixedCount;
                    }
                    shape = [.. inferred.Output];

                    // The emitters cannot write these layers yet (issue 14, phase 2): no spec, so the model gets a stub.
                    complete = false;
                }
            }

            if (layer.Kind == LayerKind.Dense)
            {
                firstDenseName ??= name;
            }

            producer = "'" + name + "'";
        }

        // Loss against the output layer: it needs the layer's kind, units and activation, not the shapes before it.
        LayerDeclaration? last = model.Layers.Count > 0 ? model.Layers[model.Layers.Count - 1] : null;
        if (orderKnown && seq >= 0 && !model.SequentialMalformed && last is { Malformed: false })
        {
            string lastName = names[names.Length - 1];
            if (last.Kind != LayerKind.Dense)
            {
                findings.Add(Error(DiagnosticIds.OutputNotDense, last.AttributeIndex, null, lastName, last.Kind.ToString()));
            }
            else if (last.Units > 0)
            {
                CheckLoss(model, last, lastName, findings);
            }
        }

        bool hasError = malformed || !complete || !shapeKnown;
        foreach (Finding f in findings)
        {
            hasError |= !IsWarning(f.Id);
        }

        if (hasError || specs.Count == 0)
        {
            return (findings, null);
        }

        // Non-trainable statistics follow the trainable parameters, so the optimizer can step over a prefix.
        long total = offset;
        for (int i = 0; i < specs.Count; i++)
        {
            if (specs[i].Kind == LayerKind.Normalization)
            {
                specs[i] = specs[i] with { KernelOffset = (int)total, BiasOffset = (int)total + specs[i].OutputSize };
                total += specs[i].NonTrainableCount;
            }
        }

        return (findings, new NetworkSpec(model.Namespace, model.ClassName, model.FullName, model.ContainingTypes, model.InputShape,
            Clamp(Product(model.InputShape)), model.Loss, specs.ToEquatableArray(), (int)total, (int)offset, model.IsAbstract,
            HasUserConstructors(model)));
    }

    /// <summary>Whether the id is one of the warnings, which leave the model valid.</summary>
    public static bool IsWarning(string id) => id is DiagnosticIds.AlphaWithoutLeakyRelu or DiagnosticIds.SoftmaxWithRegressionLoss or DiagnosticIds.UnusedInputRows;

    private static void CheckLoss(NetworkDeclaration model, LayerDeclaration output, string outputName, List<Finding> findings)
    {
        int at = model.SequentialAttributeIndex;
        string? arg = model.LossDeclared ? "Loss" : null;
        switch (model.Loss)
        {
            case LossKind.SparseCategoricalCrossEntropy when output.Units == 1:
                findings.Add(Error(DiagnosticIds.SparseWithSingleUnit, at, arg, outputName));
                break;
            case LossKind.CategoricalCrossEntropy when output.Units == 1:
                findings.Add(Error(DiagnosticIds.CategoricalWithSingleUnit, at, arg, outputName));
                break;
            // A softmax over one unit is exp(z) / exp(z) = 1 whatever the input: a constant output learns nothing.
            // (The categorical losses over one unit have their own errors above.)
            case LossKind.BinaryCrossEntropy or LossKind.MeanSquaredError or LossKind.MeanAbsoluteError
                when output.Activation == ActivationKind.Softmax && output.Units == 1:
                findings.Add(Error(DiagnosticIds.SingleUnitSoftmax, output.AttributeIndex, "activation", outputName));
                break;
            case LossKind.BinaryCrossEntropy when output.Activation == ActivationKind.Softmax && output.Units > 1:
                findings.Add(Error(DiagnosticIds.BinaryOverSoftmax, at, arg, Num(output.Units)));
                break;
            case LossKind.MeanSquaredError or LossKind.MeanAbsoluteError when output.Activation == ActivationKind.Softmax:
                findings.Add(new Finding(DiagnosticIds.SoftmaxWithRegressionLoss, at, arg, 0, Args(outputName, model.Loss.ToString())));
                break;

            // Cross-entropy needs probabilities: the softmax or sigmoid it is fused with (see BackwardEmitter.LossKernel),
            // or, for the categorical losses, sigmoid outputs, which it rescales to sum to 1 as Keras does. Over logits
            // (Keras's from_logits habit), ReLU or tanh outputs it trains at chance. An undefined activation is NG0111's alone.
            case LossKind.CategoricalCrossEntropy or LossKind.SparseCategoricalCrossEntropy
                when output.Activation is ActivationKind.Linear or (>= ActivationKind.Tanh and <= ActivationKind.LeakyReLU):
                findings.Add(Error(DiagnosticIds.CategoricalWithoutSoftmax, output.AttributeIndex, "activation", model.Loss.ToString(), outputName, output.Activation.ToString()));
                break;
            case LossKind.BinaryCrossEntropy when output.Activation is ActivationKind.Linear or (>= ActivationKind.Tanh and <= ActivationKind.LeakyReLU):
                findings.Add(Error(DiagnosticIds.BinaryWithoutSigmoid, output.AttributeIndex, "activation", outputName, output.Activation.ToString()));
                break;
        }
    }

    /// <summary>NG0010's reason for a name that cannot become a C# identifier.</summary>
    private const string NotAnIdentifier = "use ASCII letters, digits and '_', starting with a letter";

    /// <summary>
    /// Keras's default names: the first unnamed Dense is "dense", the next "dense_1", and so on per kind; named layers
    /// keep their name and do not advance the count.
    /// </summary>
    public static string[] LayerNames(EquatableArray<LayerDeclaration> layers)
    {
        var names = new string[layers.Count];
        var counts = new Dictionary<LayerKind, int>();
        for (int i = 0; i < names.Length; i++)
        {
            LayerDeclaration layer = layers[i];
            if (layer.Name is not null)
            {
                names[i] = layer.Name;
                continue;
            }

            counts.TryGetValue(layer.Kind, out int n);
            counts[layer.Kind] = n + 1;
            string stem = WindowLayerRules.KerasStem(layer.Kind) ?? layer.Kind.ToString().ToLowerInvariant();
            names[i] = n == 0 ? stem : stem + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    /// <summary>"hidden_1" → "Hidden1", the stem of the generated <c>Hidden1Kernel</c> and <c>Hidden1Bias</c> members.</summary>
    public static string ToIdentifier(string name)
    {
        var chars = new System.Text.StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            chars.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return chars.ToString();
    }

    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) && name[0] < 128))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(c == '_' || (c < 128 && char.IsLetterOrDigit(c))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The number of elements of a shape, saturating at long.MaxValue (far past any limit).</summary>
    private static long Product(IReadOnlyList<long> shape)
    {
        long p = 1;
        foreach (long d in shape)
        {
            p = Multiply(p, d);
        }

        return p;
    }

    private static long Product(IReadOnlyList<int> shape)
    {
        long p = 1;
        foreach (int d in shape)
        {
            p = Multiply(p, d);
        }

        return p;
    }

    /// <summary>A product of non-negative sizes, saturating at long.MaxValue.</summary>
    private static long Multiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    /// <summary>NG0105's count ("300,003,000") when adding a layer's parameters would pass <see cref="MaxParameters"/>, else null.</summary>
    private static string? TooMany(long trainable, long statistics, long kernel, long bias)
    {
        // Each term is at most long.MaxValue; add them as decimals so the sum cannot wrap.
        decimal count = (decimal)trainable + statistics + kernel + bias;
        return count > MaxParameters ? count.ToString("N0", CultureInfo.InvariantCulture) : null;
    }

    private static int Clamp(long size) => size > int.MaxValue ? int.MaxValue : (int)size;

    private static EquatableArray<int> Ints(List<long> shape)
    {
        var ints = new int[shape.Count];
        for (int i = 0; i < ints.Length; i++)
        {
            ints[i] = Clamp(shape[i]);
        }

        return ints.ToEquatableArray();
    }

    private static string Ordinal(int index) => "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Finding Error(string id, int attributeIndex, string? argument, params string[] args) => new(id, attributeIndex, argument, 0, Args(args));

    private static EquatableArray<string> Args(params string[] args) => new(args);

    /// <summary>Whether the user wrote constructors of their own, which a copy made by the generated constructor would skip.</summary>
    private static bool HasUserConstructors(NetworkDeclaration model)
    {
        foreach (string member in model.UserMembers)
        {
            if (member.StartsWith(".ctor(", System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
