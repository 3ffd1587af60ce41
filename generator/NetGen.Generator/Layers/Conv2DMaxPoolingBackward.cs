using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary>
/// A <c>Conv2D(…, ReLU)</c> directly followed by <c>MaxPooling2D</c>, other than the first-layer pair
/// (<see cref="Conv2DMaxPoolingPair"/>): its backward pass is one call, <c>Conv2D.BackwardReluMaxPool</c>, which routes
/// the pooling layer's gradient to the winners and applies ReLU's derivative chunk by chunk on the threads that then
/// multiply it, instead of the pooling layer's and the activation's own passes over the whole batch. dz goes to the
/// convolution's activation buffer, which nothing reads after the forward pass. The forward passes are the layers' own.
/// </summary>
internal static class Conv2DMaxPoolingBackward
{
    /// <summary>True when layers <paramref name="index"/> and the next form such a pair and the convolution is trained.</summary>
    public static bool At(NetworkSpec spec, int index) =>
        index >= spec.FirstTrainableLayer && index + 1 < spec.Layers.Count && !Conv2DMaxPoolingPair.At(spec, index)
        && spec.Layers[index].Arguments is Conv2DArguments { Activation: ActivationKind.ReLU }
        && spec.Layers[index + 1].Arguments is MaxPooling2DArguments;

    public static void Emit(BackwardPass pass, LayerSpec conv, LayerSpec pool)
    {
        var a = (Conv2DArguments)conv.Arguments;
        var p = (PoolingArguments)pool.Arguments;
        SourceWriter w = pass.W;
        w.Line("// " + pool.Name + " + " + conv.Name + " backward, fused: dz = relu'(z)·(dy at each window's winner), chunk by chunk; db = Σ dz; dW = im2col(x)ᵀ·dz"
            + (pass.IsFirstTrainable ? "" : "; dx = col2im(dz·Wᵀ)"));
        string z = pass.Saved(conv.Buffer(BufferRole.PreActivation)!);
        string dz = pass.Saved(conv.OutputBuffer!);
        string input = pass.Input();
        string inputGradient = pass.IsFirstTrainable ? "default" : pass.NextGradient(conv, conv.InputSize);
        string geometry = SlidingWindow.Geometry(conv, a.Window);
        w.Line(Conv2DKernel + ".BackwardReluMaxPool(" + input + ", " + conv.Tensor("kernel").Member + ", " + z + ", " + MaxPooling2DLayer.Argmax(pool)
            + ", gradient, " + dz + ", " + conv.Tensor("kernel").GradientMember + ", " + conv.Tensor("bias").GradientMember + ", "
            + inputGradient + ", " + ConvolutionScratch + ".For(" + geometry + ", " + Int(a.Filters) + ", batchSize), " + geometry + ", "
            + SlidingWindow.Geometry(pool, p.Window) + ", " + Int(a.Filters) + ", batchSize);");
        if (pass.IsFirstTrainable)
        {
            w.Line("// The first trainable layer: nothing before it needs an input gradient.");
            return;
        }

        w.Line("gradient = " + inputGradient + ";");
    }
}
