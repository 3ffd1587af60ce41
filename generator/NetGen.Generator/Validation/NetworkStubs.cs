using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// Decides what the stub of a refused model holds (<see cref="NetworkStub"/>): every member a valid model would have
/// whose signature can be known, minus any that would clash with the user's own or each other. Pure, like the validator.
/// </summary>
internal static class NetworkStubs
{
    /// <summary>The constructor's entry in <see cref="NetworkStub.Members"/>.</summary>
    public const string Constructor = ".ctor";

    /// <summary>The abstract members of NetGen.Network every model overrides, as <see cref="Parsing.UserMembers"/> writes their signatures.</summary>
    public static readonly string[] Overrides =
    [
        "InitializeParameters(global::NetGen.Rng)",
        "ForwardCore(global::System.ReadOnlySpan<float>, int, bool)",
        "BackwardCore(global::System.ReadOnlySpan<float>, global::System.ReadOnlySpan<float>, int)",
        "ComputeLossCore(global::System.ReadOnlySpan<float>, int)",
        "InferCore(global::System.ReadOnlySpan<float>, int, global::System.Span<float>)",
        "InferenceLossCore(global::System.ReadOnlySpan<float>, global::System.ReadOnlySpan<float>, int, global::System.ReadOnlySpan<float>)",
    ];

    /// <summary>The abstract property of NetGen.Network every model overrides.</summary>
    public const string ScratchProperty = "InferenceScratchPerSample";

    private static readonly string[] s_constants = ["InputSize", "OutputSize", "ParameterCount", "Summary"];

    /// <summary>
    /// The stub for <paramref name="model"/>, refused with <paramref name="findings"/>; null when no partial part can
    /// be written beside the user's without compiler errors of its own (the class is not partial, generic, static, a
    /// record, file-local, has another base class, is named like a member it must override, or its C# is too old for
    /// the generated code). Without a bound [Sequential] it is not a model (NG0008 or a look-alike), and gets nothing.
    /// </summary>
    public static NetworkStub? Build(NetworkDeclaration model, IReadOnlyList<Finding> findings)
    {
        if (model.SequentialAttributeIndex < 0 || !model.IsPartial || model.IsGeneric || model.IsStatic || model.IsRecord || model.IsFileLocal || model.BaseTypeName is not null
            || model.LanguageVersion < (int)NetworkValidator.MinimumLanguageVersion)
        {
            return null;
        }

        foreach (string method in Overrides)
        {
            if (method.StartsWith(model.ClassName + "(", System.StringComparison.Ordinal))
            {
                return null; // it could not override NetGen.Network's member (CS0542), and would stay abstract
            }
        }

        foreach (ContainingType outer in model.ContainingTypes)
        {
            if (!outer.IsPartial || outer.IsFileLocal)
            {
                return null;
            }
        }

        // What the user declared: names, and methods by name and by signature.
        var taken = new HashSet<string>(System.StringComparer.Ordinal) { model.ClassName };
        var signatures = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (string entry in model.UserMembers)
        {
            int paren = entry.IndexOf('(');
            taken.Add(paren < 0 ? entry : entry.Substring(0, paren));
            signatures.Add(entry);
        }

        var members = new List<string>();
        var written = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (string constant in s_constants)
        {
            if (!taken.Contains(constant) && written.Add(constant))
            {
                members.Add(constant);
            }
        }

        foreach (string method in Overrides)
        {
            string name = method.Substring(0, method.IndexOf('('));
            bool clash = signatures.Contains(method);
            foreach (string entry in model.UserMembers)
            {
                clash |= entry == name; // a field or property of that name
            }

            if (!clash && written.Add(name))
            {
                members.Add(method);
            }
        }

        if (!taken.Contains(ScratchProperty) && written.Add(ScratchProperty))
        {
            members.Add(ScratchProperty);
        }

        if (!model.HasPrimaryConstructor && !signatures.Contains(".ctor(long?)"))
        {
            members.Add(Constructor);
        }

        // The layers' views, where the layer's name makes one: each once, and none the user or another member took.
        string[] names = NetworkValidator.LayerNames(model.Layers);
        for (int i = 0; i < names.Length; i++)
        {
            LayerDeclaration layer = model.Layers[i];
            if (layer.Malformed || !NetworkValidator.IsValidName(names[i]))
            {
                continue;
            }

            foreach (string view in GeneratedMembers.Views(layer, NetworkValidator.ToIdentifier(names[i])))
            {
                if (!taken.Contains(view) && System.Array.IndexOf(GeneratedMembers.Fixed, view) < 0 && written.Add(view))
                {
                    members.Add(view);
                }
            }
        }

        var errors = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (Finding finding in findings)
        {
            if (!NetworkValidator.IsWarning(finding.Id))
            {
                errors.Add(finding.Id);
            }
        }

        return new NetworkStub(model.Namespace, model.ClassName, model.FullName, model.ContainingTypes, errors.ToEquatableArray(),
            KnownInputSize(model), KnownOutputSize(model), members.ToEquatableArray());
    }

    /// <summary>The input shape's size if every dimension is positive and it fits an int, else 0.</summary>
    private static int KnownInputSize(NetworkDeclaration model)
    {
        long size = model.InputShape.Count > 0 ? 1 : 0;
        foreach (int dimension in model.InputShape)
        {
            size = dimension <= 0 || size * dimension > int.MaxValue ? 0 : size * dimension;
        }

        return (int)size;
    }

    /// <summary>The last layer's units if it is a layer that can end a model (Dense) with some, else 0.</summary>
    private static int KnownOutputSize(NetworkDeclaration model) =>
        model.Layers.Count > 0 && model.Layers[model.Layers.Count - 1] is { Malformed: false } last
            && Layers.LayerRegistry.Of(last.Kind).Head(last.Arguments) is { Units: > 0 } head ? head.Units : 0;
}
