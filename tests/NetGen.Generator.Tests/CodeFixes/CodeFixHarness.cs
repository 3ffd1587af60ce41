using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.TestHelpers;

namespace NetGen.Generator.Tests.CodeFixes;

/// <summary>
/// Applies NetGen's code fixes the way an IDE does: the source becomes a document in an <see cref="AdhocWorkspace"/>
/// project with the harness's references, the analyzers report on its compilation, the provider registers its
/// actions for a diagnostic, and the first action's <see cref="ApplyChangesOperation"/> gives the fixed document.
/// </summary>
internal static class CodeFixHarness
{
    private static readonly CSharpCompilationOptions s_options = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>A fresh workspace holding one project with one document, Source0.cs, of <paramref name="source"/>.</summary>
    public static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "NetGenTests", "NetGenTests", LanguageNames.CSharp,
                compilationOptions: s_options, parseOptions: GeneratorHarness.ParseOptions, metadataReferences: GeneratorHarness.References))
            .AddDocument(DocumentId.CreateNewId(projectId), "Source0.cs", SourceText.From(source));
        return solution.Projects.Single().Documents.Single();
    }

    /// <summary>The analyzers' diagnostics on the document's project, ordered by position (the generator adds nothing to a broken model).</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync().ConfigureAwait(false))!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return GeneratorHarness.RunAnalyzer(compilation);
    }

    /// <summary>The code actions <paramref name="provider"/> registers for <paramref name="diagnostics"/> (reported together on one span).</summary>
    public static async Task<List<CodeAction>> ActionsAsync(CodeFixProvider provider, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostics[0].Location.SourceSpan, diagnostics, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return actions;
    }

    /// <summary>The document after <paramref name="action"/>'s one <see cref="ApplyChangesOperation"/>, clean-up (simplification) included.</summary>
    public static async Task<Document> ApplyAsync(CodeAction action, Document document)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
        ApplyChangesOperation apply = Assert.IsType<ApplyChangesOperation>(Assert.Single(operations));
        return apply.ChangedSolution.GetDocument(document.Id)!;
    }

    /// <summary>
    /// Fixes <paramref name="source"/>: asserts the analyzers report <paramref name="id"/> (on one span), applies the
    /// provider's first action for the diagnostics there, and returns the fixed source text.
    /// </summary>
    public static async Task<string> FixAsync(CodeFixProvider provider, string source, string id)
    {
        Assert.Contains(id, provider.FixableDiagnosticIds);
        Document document = CreateDocument(source);
        ImmutableArray<Diagnostic> all = await AnalyzeAsync(document).ConfigureAwait(false);
        ImmutableArray<Diagnostic> diagnostics = [.. all.Where(d => d.Id == id)];
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal(diagnostics[0].Location.SourceSpan, d.Location.SourceSpan));

        List<CodeAction> actions = await ActionsAsync(provider, document, diagnostics).ConfigureAwait(false);
        CodeAction action = Assert.Single(actions);
        Assert.NotNull(action.EquivalenceKey);
        Document fixedDocument = await ApplyAsync(action, document).ConfigureAwait(false);
        return (await fixedDocument.GetTextAsync().ConfigureAwait(false)).ToString();
    }

    /// <summary>Runs Fix All in <paramref name="scope"/> for <paramref name="provider"/>'s action of <paramref name="equivalenceKey"/> and returns the fixed source.</summary>
    public static async Task<string> FixAllAsync(CodeFixProvider provider, string source, string equivalenceKey, FixAllScope scope = FixAllScope.Document)
    {
        Document document = CreateDocument(source);
        ImmutableArray<Diagnostic> all = await AnalyzeAsync(document).ConfigureAwait(false);
        ImmutableArray<Diagnostic> fixable = [.. all.Where(d => provider.FixableDiagnosticIds.Contains(d.Id))];
        Assert.NotEmpty(fixable);
        FixAllProvider fixAll = provider.GetFixAllProvider()!;
        Assert.Contains(scope, fixAll.GetSupportedFixAllScopes());
        var context = new FixAllContext(document, provider, scope, equivalenceKey, provider.FixableDiagnosticIds, new Diagnostics(fixable), CancellationToken.None);
        CodeAction action = (await fixAll.GetFixAsync(context).ConfigureAwait(false))!;
        Document fixedDocument = await ApplyAsync(action, document).ConfigureAwait(false);
        return (await fixedDocument.GetTextAsync().ConfigureAwait(false)).ToString();
    }

    /// <summary>
    /// The fixed source, run through the generator and analyzer like any test source: it compiles without errors,
    /// NetGen reports nothing about it, and the model was generated.
    /// </summary>
    public static void AssertGenerates(string fixedSource)
    {
        HarnessResult result = GeneratorHarness.Run(fixedSource);
        Assert.Null(result.GeneratorException);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.OutputErrors);
        Assert.Empty(result.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal)));
        Assert.NotEmpty(result.GeneratedSources);
    }

    private sealed class Diagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
