using NetGen.Generator.Model;
using NetGen.Generator.Validation;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Emit;

/// <summary>
/// Writes the one file of a refused model (<see cref="NetworkStub"/>): the members a valid model has, with the same
/// signatures, whose bodies throw. The user's code that constructs, trains or reads the model then still compiles, so
/// the build lists only the NG errors that say what is wrong, not a cascade of "does not contain a definition" errors.
/// The constants hold what can be known (InputSize, OutputSize) or 0; nothing here can run, as the build fails.
/// </summary>
internal static class StubEmitter
{
    public static string Emit(NetworkStub stub)
    {
        var w = new SourceWriter();
        Emitting.OpenType(w, stub.Namespace, stub.ContainingTypes, stub.ClassName, ": " + Network);
        string errors = string.Join(", ", stub.Errors);
        string message = "Model '" + stub.FullName + "' was not generated, as NetGen reported build errors for it (" + errors + "): fix them and rebuild.";
        string fail = "throw new global::System.InvalidOperationException(" + Emitting.Quote(message) + ")";
        string note = "Not generated: the model has build errors (" + errors + ").";
        string attribute = "[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]";
        bool first = true;
        foreach (string member in stub.Members)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            if (member == NetworkStubs.Constructor)
            {
                w.Line("#pragma warning disable CS8618 // it always throws, so it never leaves the user's non-nullable members unset");
            }

            w.Line("/// <summary>" + note + "</summary>");
            switch (member)
            {
                case "InputSize":
                    w.Line("public const int InputSize = " + Emitting.Int(stub.InputSize) + ";");
                    break;
                case "OutputSize":
                    w.Line("public const int OutputSize = " + Emitting.Int(stub.OutputSize) + ";");
                    break;
                case "ParameterCount":
                    w.Line("public const int ParameterCount = 0;");
                    break;
                case "Summary":
                    w.Line("public const string Summary = " + Emitting.Quote(note) + ";");
                    break;
                case NetworkStubs.Constructor:
                    // NetGen.Network's constructor never runs: the argument throws first.
                    w.Line(attribute);
                    w.Line("public " + Emitting.Identifier(stub.ClassName) + "(long? seed = null)");
                    w.Open("    : base((" + NetworkInfo + "?)null ?? " + fail + ")");
                    w.Close();
                    w.Line("#pragma warning restore CS8618");
                    break;
                case "InitializeParameters(global::NetGen.Rng)":
                    w.Line(attribute);
                    w.Line("protected override void InitializeParameters(" + Rng + " rng) => " + fail + ";");
                    break;
                case "ForwardCore(global::System.ReadOnlySpan<float>, int, bool)":
                    w.Line(attribute);
                    w.Line("protected override " + ReadOnlySpan + " ForwardCore(" + ReadOnlySpan + " inputs, int batchSize, bool training) => " + fail + ";");
                    break;
                case "BackwardCore(global::System.ReadOnlySpan<float>, global::System.ReadOnlySpan<float>, int)":
                    w.Line(attribute);
                    w.Line("protected override float BackwardCore(" + ReadOnlySpan + " inputs, " + ReadOnlySpan + " targets, int batchSize) => " + fail + ";");
                    break;
                case "ComputeLossCore(global::System.ReadOnlySpan<float>, int)":
                    w.Line(attribute);
                    w.Line("protected override float ComputeLossCore(" + ReadOnlySpan + " targets, int batchSize) => " + fail + ";");
                    break;
                case "InferCore(global::System.ReadOnlySpan<float>, int, global::System.Span<float>)":
                    w.Line(attribute);
                    w.Line("protected override " + ReadOnlySpan + " InferCore(" + ReadOnlySpan + " inputs, int batchSize, " + Span + " scratch) => " + fail + ";");
                    break;
                case "InferenceLossCore(global::System.ReadOnlySpan<float>, global::System.ReadOnlySpan<float>, int, global::System.ReadOnlySpan<float>)":
                    w.Line(attribute);
                    w.Line("protected override float InferenceLossCore(" + ReadOnlySpan + " scratch, " + ReadOnlySpan + " targets, int batchSize, " + ReadOnlySpan + " sampleWeights) => " + fail + ";");
                    break;
                case NetworkStubs.ScratchProperty:
                    w.Line(attribute);
                    w.Line("protected override int InferenceScratchPerSample => " + fail + ";");
                    break;
                default:
                    // A layer's view: {Layer}Kernel, {Layer}Bias, their gradients, or {Layer}Mean/Variance/Count.
                    w.Line("public " + Span + " " + member + " => " + fail + ";");
                    break;
            }
        }

        Emitting.CloseType(w, stub.ContainingTypes.Count);
        return w.ToString();
    }
}
