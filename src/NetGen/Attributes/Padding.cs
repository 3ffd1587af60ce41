namespace NetGen;

/// <summary>
/// How a sliding window (a <see cref="Conv2DAttribute"/> kernel, a pooling window) meets the border of its input, as
/// Keras's <c>padding="valid"</c> and <c>padding="same"</c>. With input size <c>n</c>, window <c>k</c> and stride <c>s</c>
/// along one axis:
/// </summary>
public enum Padding
{
    /// <summary>
    /// No padding: the window only visits positions where it fits, so the output has <c>⌊(n − k) / s⌋ + 1</c> rows; the
    /// window must fit the input (<c>k ≤ n</c>), and when <c>(n − k) mod s ≠ 0</c> the last rows are never read.
    /// </summary>
    Valid = 0,

    /// <summary>
    /// Zero padding (for a pooling window: cells that are ignored) so the output has <c>⌈n / s⌉</c> rows, as TensorFlow:
    /// the total padding <c>max((⌈n / s⌉ − 1)·s + k − n, 0)</c> is split with the smaller half at the top (left).
    /// </summary>
    Same = 1,
}
