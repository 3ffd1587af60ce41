using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>The layer kinds NetGen knows, one line each, in <see cref="LayerKind"/> order.</summary>
internal static class LayerRegistry
{
    public static readonly LayerDescriptor[] All =
    [
        new DenseLayer(),
        new DropoutLayer(),
        new FlattenLayer(),
        new NormalizationLayer(),
        new ActivationLayer(),
        new Conv2DLayer(),
        new MaxPooling2DLayer(),
        new AveragePooling2DLayer(),
        new GlobalAveragePooling2DLayer(),
        new BatchNormalizationLayer(),
    ];

    /// <summary>The descriptor of <paramref name="kind"/> (every kind is registered at its own index).</summary>
    public static LayerDescriptor Of(LayerKind kind) => All[(int)kind];

    /// <summary>The descriptor whose attribute class is named <paramref name="attributeName"/>, or null.</summary>
    public static LayerDescriptor? ForAttribute(string attributeName)
    {
        foreach (LayerDescriptor descriptor in All)
        {
            if (descriptor.AttributeName == attributeName)
            {
                return descriptor;
            }
        }

        return null;
    }
}
