namespace NetGen.Generator.Emit;

/// <summary>Every type the generated code names, fully qualified so no user type or alias can capture it.</summary>
internal static class KnownTypes
{
    public const string Span = "global::System.Span<float>";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCodeAttribute";

    /// <summary>An empty buffer, written without a collection expression ('[]' needs C# 12; generated code needs only C# 10).</summary>
    public const string EmptyArray = "global::System.Array.Empty<float>()";

    /// <summary>An empty int buffer (a pooling layer's argmax).</summary>
    public const string EmptyIntArray = "global::System.Array.Empty<int>()";

    /// <summary>
    /// On the per-step passes: compiled fully optimized at once, so a short training run never spends its first epochs
    /// in the JIT's unoptimized and instrumented tiers (the softmax model's first epochs took 3-8× as long).
    /// </summary>
    public const string AggressiveOptimization =
        "global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)";
    public const string Network = "global::NetGen.Network";
    public const string NetworkInfo = "global::NetGen.NetworkInfo";
    public const string LayerInfo = "global::NetGen.LayerInfo";
    public const string TensorInfo = "global::NetGen.TensorInfo";
    public const string LayerKindEnum = "global::NetGen.LayerKind";
    public const string ActivationEnum = "global::NetGen.Activation";
    public const string LossEnum = "global::NetGen.Loss";
    public const string Rng = "global::NetGen.Rng";
    public const string Gemm = "global::NetGen.Kernels.Gemm";
    public const string Bias = "global::NetGen.Kernels.Bias";
    public const string BiasActivation = "global::NetGen.Kernels.BiasActivation";
    public const string Activations = "global::NetGen.Kernels.Activations";
    public const string Dropout = "global::NetGen.Kernels.Dropout";
    public const string Normalization = "global::NetGen.Kernels.Normalization";
    public const string Initializers = "global::NetGen.Init.Initializers";
    public const string Conv2DKernel = "global::NetGen.Kernels.Conv2D";
    public const string Conv2DGeometry = "global::NetGen.Kernels.Conv2DGeometry";
    public const string ConvolutionScratch = "global::NetGen.Kernels.ConvolutionScratch";
    public const string MaxPooling2DKernel = "global::NetGen.Kernels.MaxPooling2D";
    public const string AveragePooling2DKernel = "global::NetGen.Kernels.AveragePooling2D";
    public const string GlobalAveragePooling2DKernel = "global::NetGen.Kernels.GlobalAveragePooling2D";
    public const string BatchNormalizationKernel = "global::NetGen.Kernels.BatchNormalization";
    public const string IntSpan = "global::System.Span<int>";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string Losses = "global::NetGen.Losses";
}
