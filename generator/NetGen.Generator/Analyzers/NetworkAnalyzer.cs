using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Analyzers;

/// <summary>
/// Reports what <see cref="NetworkValidator"/> finds in a model declaration, each on the exact attribute argument at
/// fault. The generator runs the same validator and writes only a stub for an invalid model, so the two never disagree.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkAnalyzer : DiagnosticAnalyzer
{
    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Index();

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [.. s_byId.Values];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        bool any = false;
        foreach (AttributeData attribute in attributes)
        {
            any |= NetworkParser.IsNetGenAttribute(attribute);
        }

        if (!any)
        {
            return;
        }

        NetworkDeclaration declaration = NetworkParser.Parse(type, context.Compilation, context.CancellationToken);
        if (declaration.SequentialAttributeIndex < 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.LayerWithoutSequential, ClassLocation(type), type.Name));
            return;
        }

        foreach (Finding finding in NetworkValidator.Validate(declaration).Findings)
        {
            Location location = Locate(type, attributes, finding, context.CancellationToken);
            var args = new object[finding.MessageArgs.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = finding.MessageArgs[i];
            }

            context.ReportDiagnostic(Diagnostic.Create(s_byId[finding.Id], location, Properties(finding), args));
        }
    }

    /// <summary>The finding's properties for the code fixes (keys in <see cref="DiagnosticProperties"/>), or null if it has none.</summary>
    private static ImmutableDictionary<string, string?>? Properties(Finding finding)
    {
        if (finding.Properties.Count == 0)
        {
            return null;
        }

        ImmutableDictionary<string, string?>.Builder properties = ImmutableDictionary.CreateBuilder<string, string?>();
        foreach (DiagnosticProperty property in finding.Properties)
        {
            properties[property.Key] = property.Value;
        }

        return properties.ToImmutable();
    }

    /// <summary>The span of the argument at fault: a named argument, a constructor argument (by name or position), the attribute, or the class name.</summary>
    private static Location Locate(INamedTypeSymbol type, ImmutableArray<AttributeData> attributes, Finding finding, CancellationToken ct)
    {
        if (finding.AttributeIndex == Finding.OnParameterList)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is TypeDeclarationSyntax { ParameterList: { } parameters })
                {
                    return parameters.GetLocation();
                }
            }
        }

        if (finding.AttributeIndex == Finding.OnMember && finding.Argument is not null
            && UserMembers.Locate(type, finding.Argument, ct) is { } member)
        {
            return member;
        }

        if (finding.AttributeIndex < 0 || finding.AttributeIndex >= attributes.Length)
        {
            return ClassLocation(type);
        }

        AttributeData attribute = attributes[finding.AttributeIndex];
        if (attribute.ApplicationSyntaxReference?.GetSyntax(ct) is not AttributeSyntax syntax)
        {
            return ClassLocation(type);
        }

        if (finding.Argument is null || syntax.ArgumentList is null)
        {
            return syntax.GetLocation();
        }

        SeparatedSyntaxList<AttributeArgumentSyntax> args = syntax.ArgumentList.Arguments;
        int position = ParameterOrdinal(attribute, finding.Argument);
        int positional = 0;
        for (int i = 0; i < args.Count; i++)
        {
            AttributeArgumentSyntax arg = args[i];
            if (arg.NameEquals is not null)
            {
                if (arg.NameEquals.Name.Identifier.ValueText == finding.Argument)
                {
                    return arg.GetLocation();
                }

                continue;
            }

            if (arg.NameColon is not null ? arg.NameColon.Name.Identifier.ValueText == finding.Argument : positional == position)
            {
                return ElementLocation(args, i, arg, finding.Element, attribute, position);
            }

            if (arg.NameColon is null)
            {
                positional++;
            }
        }

        return syntax.GetLocation();
    }

    /// <summary>For a params array (the input shape), point at the offending element, whether written as separate arguments or as one collection.</summary>
    private static Location ElementLocation(SeparatedSyntaxList<AttributeArgumentSyntax> args, int index, AttributeArgumentSyntax arg, int element, AttributeData attribute, int position)
    {
        bool isParams = attribute.AttributeConstructor is { } ctor && position >= 0 && position < ctor.Parameters.Length && ctor.Parameters[position].IsParams;
        if (element == Finding.WholeArgument)
        {
            // A params array written as separate arguments spans all of them: from this one to the last positional one.
            int last = index;
            while (isParams && arg.NameColon is null && last + 1 < args.Count && args[last + 1].NameEquals is null && args[last + 1].NameColon is null)
            {
                last++;
            }

            return last == index ? arg.GetLocation() : Location.Create(arg.SyntaxTree, TextSpan.FromBounds(arg.SpanStart, args[last].Span.End));
        }

        switch (arg.Expression)
        {
            case CollectionExpressionSyntax collection when element < collection.Elements.Count:
                return collection.Elements[element].GetLocation();
            case ArrayCreationExpressionSyntax { Initializer: { } init } when element < init.Expressions.Count:
                return init.Expressions[element].GetLocation();
            case ImplicitArrayCreationExpressionSyntax { Initializer: { } init } when element < init.Expressions.Count:
                return init.Expressions[element].GetLocation();
        }

        if (isParams && arg.NameColon is null && index + element < args.Count)
        {
            return args[index + element].GetLocation();
        }

        return arg.GetLocation();
    }

    private static int ParameterOrdinal(AttributeData attribute, string name)
    {
        if (attribute.AttributeConstructor is { } ctor)
        {
            foreach (IParameterSymbol p in ctor.Parameters)
            {
                if (p.Name == name)
                {
                    return p.Ordinal;
                }
            }
        }

        return -1;
    }

    private static Location ClassLocation(INamedTypeSymbol type) => type.Locations.Length > 0 ? type.Locations[0] : Location.None;

    private static Dictionary<string, DiagnosticDescriptor> Index()
    {
        var byId = new Dictionary<string, DiagnosticDescriptor>();
        foreach (System.Reflection.FieldInfo field in typeof(Descriptors).GetFields())
        {
            // The NG03xx usage rules belong to UsageAnalyzer.
            if (field.GetValue(null) is DiagnosticDescriptor descriptor && descriptor.Category != "NetGen.Usage")
            {
                byId.Add(descriptor.Id, descriptor);
            }
        }

        return byId;
    }
}
