using System.Collections.Generic;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The members the user declared in a model class, as plain strings the validator compares with what NetGen generates
/// (<see cref="Model.GeneratedMembers"/>): a method or constructor as its signature, <c>EnsureCapacity(int)</c> or
/// <c>.ctor(long)</c>, since overloads of a generated method are legal; any other member as its name. Members in the
/// files this generator wrote are not the user's: the analyzer sees the compilation with them.
/// </summary>
internal static class UserMembers
{
    private static readonly string s_generatorDirectory = typeof(NetworkGenerator).FullName!;

    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    public static EquatableArray<string> Of(INamedTypeSymbol type)
    {
        var entries = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            if (IsUsers(member) && Entry(member) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries.ToEquatableArray();
    }

    /// <summary>
    /// The user's instance constructors (as <see cref="Of"/> lists them) that do not call <c>this(...)</c>: they call
    /// NetGen.Network's constructor directly, implicitly or by <c>base(...)</c>, so the generated one never runs.
    /// </summary>
    public static EquatableArray<string> UnchainedConstructors(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var entries = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (!IsUsers(constructor))
            {
                continue;
            }

            foreach (SyntaxReference reference in constructor.DeclaringSyntaxReferences)
            {
                // A primary constructor's syntax is the type declaration (NG0015's); only written constructors count.
                if (reference.GetSyntax(cancellationToken) is ConstructorDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.StaticKeyword)
                    && declaration.Initializer?.Kind() != SyntaxKind.ThisConstructorInitializer
                    && Entry(constructor) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        return entries.ToEquatableArray();
    }

    /// <summary>Where the user declared the member that <see cref="Of"/> listed as <paramref name="entry"/>.</summary>
    public static Location? Locate(INamedTypeSymbol type, string entry, CancellationToken cancellationToken)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsUsers(member) && Entry(member) == entry)
            {
                foreach (Location location in member.Locations)
                {
                    if (location.SourceTree is { } tree && !IsGenerated(tree))
                    {
                        return location;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>A method's or constructor's signature (<c>Name(T1, ref T2)</c>, types fully qualified), any other member's name; null for accessors and the like.</summary>
    private static string? Entry(ISymbol member)
    {
        if (member is not IMethodSymbol method)
        {
            return member.Name;
        }

        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor))
        {
            return null;
        }

        // What C# tells overloads apart by: the generic arity, and per parameter its type and whether it is passed by
        // reference (ref, out, in and ref readonly are one kind for that; M<T>(int) and M(ref int) overload M(int)).
        var signature = new StringBuilder(method.MethodKind == MethodKind.Constructor ? ".ctor" : method.Name);
        if (method.Arity > 0)
        {
            signature.Append('`').Append(method.Arity);
        }

        signature.Append('(');
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            signature.Append(i == 0 ? string.Empty : ", ")
                .Append(parameter.RefKind == RefKind.None ? string.Empty : "ref ")
                .Append(parameter.Type.ToDisplayString(s_typeFormat));
        }

        return signature.Append(')').ToString();
    }

    private static bool IsUsers(ISymbol member)
    {
        if (member.IsImplicitlyDeclared)
        {
            return false;
        }

        foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
        {
            if (!IsGenerated(reference.SyntaxTree))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether this generator wrote the file: Roslyn places a generated file at
    /// {base}/{generator assembly}/{generator type}/{hint name}, in a build and in the IDE alike.
    /// </summary>
    private static bool IsGenerated(SyntaxTree tree)
    {
        string path = tree.FilePath;
        int file = System.Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        if (file <= 0)
        {
            return false;
        }

        int directory = System.Math.Max(path.LastIndexOf('/', file - 1), path.LastIndexOf('\\', file - 1));
        return file - directory - 1 == s_generatorDirectory.Length
            && string.CompareOrdinal(path, directory + 1, s_generatorDirectory, 0, s_generatorDirectory.Length) == 0;
    }
}
