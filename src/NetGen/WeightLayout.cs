namespace NetGen;

/// <summary>How a weights file names and lays out a network's tensors (see <see cref="NetworkWeights"/>).</summary>
public enum WeightLayout
{
    /// <summary>
    /// Keras's, NetGen's own: <c>layer.kernel</c> as [inputs, units] and <c>layer.bias</c>, named after the layers;
    /// the file's metadata says <c>"format": "netgen"</c>.
    /// </summary>
    Keras = 0,

    /// <summary>
    /// PyTorch's: an <c>nn.Linear</c>'s <c>weight</c> as [out_features, in_features] (the Keras kernel transposed) and
    /// <c>bias</c>, named as in an <c>nn.Sequential</c> (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, …) or as the
    /// caller maps them; the file's metadata says <c>"format": "pt"</c> and <c>"layout": "pytorch"</c>.
    /// </summary>
    PyTorch = 1,
}
