using NetGen.Generator.Model;

namespace NetGen.Generator.Shapes;

/// <summary>
/// The arithmetic of a window (kernel or pool) of size <c>k</c> sliding with stride <c>s</c> along one axis of <c>n</c>
/// values, as Keras and TensorFlow do it (<c>conv_output_length</c>, TensorFlow's 'SAME' padding). Pure: the
/// validator's shape inference and the emitted geometry both come from here, so they cannot disagree. Sizes are longs
/// so that absurd inputs are computed exactly, not wrapped; the caller has checked k ≥ 1 and s ≥ 1.
/// </summary>
internal static class WindowArithmetic
{
    /// <summary>
    /// The output length: <c>⌊(n − k) / s⌋ + 1</c> for valid padding (0 when the window does not fit, <c>k &gt; n</c>),
    /// <c>⌈n / s⌉</c> for same padding.
    /// </summary>
    public static long OutputLength(long input, int window, int stride, PaddingKind padding) =>
        padding == PaddingKind.Same
            ? (input + stride - 1) / stride
            : input < window ? 0 : ((input - window) / stride) + 1;

    /// <summary>
    /// The total padding along the axis: 0 for valid; for same, <c>max((o − 1)·s + k − n, 0)</c> with <c>o = ⌈n / s⌉</c>,
    /// of which the top (left) gets <see cref="PaddingBefore"/>, the smaller half, and the bottom (right) the rest.
    /// </summary>
    public static long PaddingTotal(long input, int window, int stride, PaddingKind padding)
    {
        if (padding != PaddingKind.Same)
        {
            return 0;
        }

        long needed = ((OutputLength(input, window, stride, padding) - 1) * stride) + window - input;
        return needed > 0 ? needed : 0;
    }

    /// <summary>The padding before the first row (column): half the total, rounded down, as TensorFlow.</summary>
    public static long PaddingBefore(long input, int window, int stride, PaddingKind padding) => PaddingTotal(input, window, stride, padding) / 2;

    /// <summary>
    /// With valid padding, how many trailing rows (columns) no window reaches: the last window ends at
    /// <c>(o − 1)·s + k</c>, leaving <c>n − (o − 1)·s − k = (n − k) mod s</c>. 0 for same padding, or a window that does not fit.
    /// </summary>
    public static long UnusedTrailing(long input, int window, int stride, PaddingKind padding) =>
        padding == PaddingKind.Same || input < window ? 0 : (input - window) % stride;
}
