using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Analyzers;

/// <summary>
/// Checks calls on a generated model in the user's own code: an argument whose length is known at compile time
/// (<c>new float[3]</c>, <c>[1f, 2f]</c>, <c>stackalloc float[N]</c>, a local holding one) must match the model's
/// input size, output size or row width. A wrong length would otherwise throw at run time.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UsageAnalyzer : DiagnosticAnalyzer
{
    private const string NetworkMetadataName = "NetGen.Network";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [Descriptors.InputLengthMismatch, Descriptors.OutputLengthMismatch, Descriptors.FeatureCountMismatch];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(NetworkMetadataName) is not { } network)
            {
                return;
            }

            var sizes = new ConcurrentDictionary<INamedTypeSymbol, Sizes?>(SymbolEqualityComparer.Default);
            start.RegisterOperationAction(ctx => AnalyzeInvocation(ctx, network, sizes), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol network, ConcurrentDictionary<INamedTypeSymbol, Sizes?> cache)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, network)
            || invocation.Instance?.Type is not INamedTypeSymbol modelType
            || cache.GetOrAdd(modelType, t => SizesOf(t, context)) is not { } sizes)
        {
            return;
        }

        string callee = modelType.Name + "." + method.Name;
        IArgumentOperation? Arg(string name)
        {
            foreach (IArgumentOperation a in invocation.Arguments)
            {
                if (a.Parameter?.Name == name)
                {
                    return a;
                }
            }

            return null;
        }

        ImmutableArray<int>? Length(IArgumentOperation? a) => a is null ? null : ConstantLength.Of(a.Value, context.CancellationToken);

        switch (method.Name)
        {
            case "Predict" when method.Parameters.Length >= 1 && method.Parameters[0].Type is IArrayTypeSymbol { Rank: 2 }:
            case "Fit" or "Evaluate" when method.Parameters.Length >= 1 && method.Parameters[0].Type is IArrayTypeSymbol { Rank: 2 }:
                IArgumentOperation? x = Arg(method.Parameters[0].Name);
                if (ConstantLength.IsMatrix(Length(x), out int columns) && columns != sizes.Input)
                {
                    Report(context, Descriptors.FeatureCountMismatch, x!, callee, Num(sizes.Input), "features", Num(columns));
                }

                IArgumentOperation? y = method.Parameters.Length > 1 && method.Name != "Predict" ? Arg(method.Parameters[1].Name) : null;
                if (y?.Parameter?.Type is IArrayTypeSymbol { Rank: 2 } && ConstantLength.IsMatrix(Length(y), out int targets) && targets != sizes.Target)
                {
                    Report(context, Descriptors.FeatureCountMismatch, y, callee, Num(sizes.Target), "target values", Num(targets));
                }

                break;

            case "Predict":
                IArgumentOperation? input = Arg("input");
                if (ConstantLength.IsVector(Length(input), out int n) && n != sizes.Input)
                {
                    Report(context, Descriptors.InputLengthMismatch, input!, callee, Num(sizes.Input), "one sample", Num(n));
                }

                IArgumentOperation? output = Arg("output");
                if (ConstantLength.IsVector(Length(output), out int m) && m != sizes.Output)
                {
                    Report(context, Descriptors.OutputLengthMismatch, output!, callee, Num(sizes.Output), Num(m));
                }

                break;

            case "PredictBatch":
                IArgumentOperation? inputs = Arg("inputs");
                bool knownInputs = ConstantLength.IsVector(Length(inputs), out int total);
                if (knownInputs && total % sizes.Input != 0)
                {
                    Report(context, Descriptors.InputLengthMismatch, inputs!, callee, "a multiple of " + Num(sizes.Input), "whole samples", Num(total));
                }
                else if (knownInputs && ConstantLength.IsVector(Length(Arg("outputs")), out int outTotal) && outTotal != (total / sizes.Input) * sizes.Output)
                {
                    Report(context, Descriptors.OutputLengthMismatch, Arg("outputs")!, callee, Num((total / sizes.Input) * sizes.Output), Num(outTotal));
                }

                break;

            case "Forward":
                IArgumentOperation? batch = Arg("batchSize");
                if (batch?.Value.ConstantValue is { HasValue: true, Value: int samples } && samples > 0
                    && ConstantLength.IsVector(Length(Arg("inputs")), out int values) && values != samples * sizes.Input)
                {
                    Report(context, Descriptors.InputLengthMismatch, Arg("inputs")!, callee, Num(samples * sizes.Input),
                        Num(samples) + " samples of " + Num(sizes.Input), Num(values));
                }

                break;
        }
    }

    private static Sizes? SizesOf(INamedTypeSymbol type, OperationAnalysisContext context)
    {
        NetworkDeclaration declaration = NetworkParser.Parse(type, context.Compilation, context.CancellationToken);
        if (declaration.SequentialAttributeIndex < 0 || NetworkValidator.Validate(declaration).Spec is not { } spec)
        {
            return null;
        }

        int target = spec.Loss == LossKind.SparseCategoricalCrossEntropy ? 1 : spec.OutputSize;
        return new Sizes(spec.InputSize, spec.OutputSize, target);
    }

    private static void Report(OperationAnalysisContext context, DiagnosticDescriptor descriptor, IArgumentOperation argument, params object[] args) =>
        context.ReportDiagnostic(Diagnostic.Create(descriptor, argument.Syntax.GetLocation(), args));

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private sealed record Sizes(int Input, int Output, int Target);
}
