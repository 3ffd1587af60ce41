using NetGen.Generator.Model;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Emit;

/// <summary>
/// Writes a model's compiled-in weights (<c>[Sequential(..., Weights = "…")]</c>) into a file of its own,
/// <c>&lt;Model&gt;.Weights.g.cs</c>: the float32 parameters as UTF-8 string literals of base64 (constant data in the
/// assembly: no file and no resource at run time), <c>FromEmbeddedWeights()</c> and <c>LoadEmbeddedWeights()</c>,
/// which decode them straight into the parameter buffer. UTF-8 literals, because a byte-array initializer costs the
/// compiler a syntax node per byte (2 MB took 40 s to compile); base64, because a UTF-8 literal cannot hold arbitrary
/// bytes. A refused file or an invalid model gets the same members with bodies that throw, so calls to them compile
/// and the build shows only the NG error.
/// </summary>
internal static class EmbeddedWeightsEmitter
{
    public static string Emit(WeightsOutcome outcome)
    {
        WeightsRequest request = outcome.Request;
        var w = new SourceWriter();
        Emitting.OpenType(w, request.Namespace, request.ContainingTypes, request.ClassName, baseList: null);
        string type = Emitting.Identifier(request.ClassName);
        bool ok = outcome.ErrorId is null && request.Valid;
        string failure = "throw new global::System.InvalidOperationException(" + Emitting.Quote(
            request.ClassName + " has no compiled-in weights: the build reported " + (outcome.ErrorId ?? "errors in the model") + " for '" + request.Weights.Path + "'.") + ");";
        string generated = "[" + GeneratedCode + "(\"NetGen\", \"" + Emitting.Version + "\")]";

        if (request.CanCreate)
        {
            w.Line("/// <summary>");
            w.Line("/// Creates the model with the weights of <c>" + Xml(request.Weights.Path) + "</c>, compiled into the assembly and checked against the");
            w.Line("/// model at build time: the parameters are decoded once, straight into the model's buffer. The model trains, saves and");
            w.Line("/// loads like any other; <paramref name=\"seed\"/> seeds its later <c>Fit</c> calls as the constructor's does.");
            w.Line("/// </summary>");
            w.Line(generated);
            w.Open("public static " + type + " FromEmbeddedWeights(long? seed = null)");
            if (ok)
            {
                w.Line("var model = new " + type + "(seed);");
                w.Line("model.LoadEmbeddedWeights();");
                w.Line("return model;");
            }
            else
            {
                w.Line(failure);
            }

            w.Close();
            w.Line();
        }

        if (!request.WritesLoad)
        {
            Emitting.CloseType(w, request.ContainingTypes.Count);
            return w.ToString();
        }

        w.Line("/// <summary>");
        w.Line("/// Replaces every parameter with the compiled-in weights of <c>" + Xml(request.Weights.Path) + "</c> (as <c>LoadWeights</c> would");
        w.Line("/// from the file, without the file). The optimizer's state is left as it is.");
        w.Line("/// </summary>");
        w.Line(generated);
        if (!ok)
        {
            w.Open("public void LoadEmbeddedWeights()");
            w.Line(failure);
            w.Close();
            Emitting.CloseType(w, request.ContainingTypes.Count);
            return w.ToString();
        }

        w.Line("public void LoadEmbeddedWeights() => global::NetGen.EmbeddedWeights.Load(this, " + Emitting.Int(outcome.Chunks.Count) + ", EmbeddedWeightsData);");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The parameters from <c>" + Xml(request.Weights.Path) + "</c>, " + Emitting.Int(request.ParameterCount)
            + " float32 values, little-endian, in parameter-buffer order, as base64 in chunks of");
        w.Line("/// " + Emitting.Int(Validation.WeightsFileCheck.ChunkBytes) + " bytes: UTF-8 literals, so each is a span over the assembly's data.");
        w.Line("/// </summary>");
        w.Open("private static global::System.ReadOnlySpan<byte> EmbeddedWeightsData(int index) => index switch");
        for (int i = 0; i < outcome.Chunks.Count; i++)
        {
            w.Line(Emitting.Int(i) + " => \"" + outcome.Chunks[i] + "\"u8,");
        }

        w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(index)),");
        w.Close(";");
        Emitting.CloseType(w, request.ContainingTypes.Count);
        return w.ToString();
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
