using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary>
/// A first layer <c>Conv2D(…, ReLU)</c> with a short valid window (kh·kw·cin ≤ 32, as on grey or RGB images) directly
/// followed by <c>MaxPooling2D(2)</c>, emitted as one fused call each way (<c>Conv2D.ForwardBiasReluMaxPool</c> and
/// <c>Conv2D.BackwardBiasReluMaxPool</c>): apart, the pair writes, reads back and scatters four tensors the size of the
/// convolution's output, which cost more than the convolution. Both layers keep their descriptors, buffers, summary
/// rows and weights; only the passes take the pair at once. The forward pass gives the same bits as the two layers;
/// the convolution's own z and activation buffers are then left unwritten.
/// </summary>
internal static class Conv2DMaxPoolingPair
{
    /// <summary>The runtime's deepest window on its direct path (<c>Conv2D.DirectMaxDepth</c>).</summary>
    private const long DirectMaxDepth = 32;

    /// <summary>True when layers <paramref name="index"/> and the next form the pair, the first the model's first trainable layer.</summary>
    public static bool At(NetworkSpec spec, int index)
    {
        if (index != spec.FirstTrainableLayer || index + 1 >= spec.Layers.Count
            || spec.Layers[index].Arguments is not Conv2DArguments conv || spec.Layers[index + 1].Arguments is not MaxPooling2DArguments pool)
        {
            return false;
        }

        LayerSpec layer = spec.Layers[index];
        WindowArguments w = conv.Window, p = pool.Window;
        return conv.Activation == ActivationKind.ReLU && w.Padding == PaddingKind.Valid && layer.InputShape.Rank == 3
            && (long)w.Height * w.Width * layer.InputShape[2] <= DirectMaxDepth
            && p.Height == 2 && p.Width == 2 && p.EffectiveStrideHeight == 2 && p.EffectiveStrideWidth == 2 && p.Padding == PaddingKind.Valid;
    }

    public static void EmitForward(ForwardPass pass, LayerSpec conv, LayerSpec pool)
    {
        var a = (Conv2DArguments)conv.Arguments;
        var p = (PoolingArguments)pool.Arguments;
        SourceWriter w = pass.W;
        BufferSpec output = pool.OutputBuffer!;
        string local = ForwardPass.Local(output);
        w.Line("// " + conv.Name + " + " + pool.Name + ": Conv2D " + Int(a.Filters) + " filters " + SlidingWindow.Describe(a.Window) + ", then MaxPooling2D "
            + SlidingWindow.Describe(p.Window) + ", (" + conv.InputShape + ") -> (" + conv.OutputShape + ") -> (" + pool.OutputShape + "),");
        w.Line("// fused: y = max over each 2×2 cell of relu(" + pass.Current + " ⊛ W + b), without storing the convolution's output");
        w.Line(Span + " " + local + " = " + pass.Slice(output) + ";");
        string winners = pass.Training ? Winners(pool) : "default";
        w.Line(Conv2DKernel + ".ForwardBiasReluMaxPool(" + pass.Current + ", " + conv.Tensor("kernel").Member + ", " + conv.Tensor("bias").Member + ", "
            + local + ", " + winners + ", " + Geometries(conv, a, pool, p) + ", " + Int(a.Filters) + ", batchSize);");
        pass.Current = local;
    }

    /// <summary>The pair's backward pass: the kernel and bias gradients, and no input gradient (the pair is the first trainable layer).</summary>
    public static void EmitBackward(BackwardPass pass, LayerSpec conv, LayerSpec pool)
    {
        var a = (Conv2DArguments)conv.Arguments;
        var p = (PoolingArguments)pool.Arguments;
        SourceWriter w = pass.W;
        w.Line("// " + pool.Name + " + " + conv.Name + " backward, fused: dz = dy at each 2×2 cell's winner where y > 0, else 0; db = Σ dz; dW = im2col(x)ᵀ·dz");
        string pooled = pass.Saved(pool.OutputBuffer!);
        string input = pass.Input();
        string geometry = SlidingWindow.Geometry(conv, a.Window);
        w.Line(Conv2DKernel + ".BackwardBiasReluMaxPool(" + input + ", " + pooled + ", " + Winners(pool) + ", gradient, "
            + conv.Tensor("kernel").GradientMember + ", " + conv.Tensor("bias").GradientMember + ", " + ConvolutionScratch + ".ForMaxPooled(" + geometry + ", "
            + Int(a.Filters) + "), " + Geometries(conv, a, pool, p) + ", " + Int(a.Filters) + ", batchSize);");
        w.Line("// The first trainable layer: nothing before it needs an input gradient.");
    }

    /// <summary>The pooling layer's saved winners, which the fused pass keeps as floats (window cells 0 to 3).</summary>
    private static string Winners(LayerSpec pool) => MemoryMarshal + ".Cast<int, float>(" + MaxPooling2DLayer.Argmax(pool) + ")";

    private static string Geometries(LayerSpec conv, Conv2DArguments a, LayerSpec pool, PoolingArguments p) =>
        SlidingWindow.Geometry(conv, a.Window) + ", " + SlidingWindow.Geometry(pool, p.Window);
}
