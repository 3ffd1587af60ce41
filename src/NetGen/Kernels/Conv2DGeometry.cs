using System;

namespace NetGen.Kernels;

/// <summary>
/// One sliding-window pass (a convolution or a pooling), fixed at build time: the input's height, width and channels
/// (NHWC, channels last), the window and its strides, the padding before the first row and column, and the output size.
/// Keras/TF 'same' padding puts the extra row or column of an odd total at the bottom or right.
/// </summary>
/// <param name="InputHeight">Rows of the input.</param>
/// <param name="InputWidth">Columns of the input.</param>
/// <param name="Channels">Channels of the input (and of a pooling's output).</param>
/// <param name="WindowHeight">Rows of the kernel or pool window.</param>
/// <param name="WindowWidth">Columns of the kernel or pool window.</param>
/// <param name="StrideHeight">Rows between consecutive windows.</param>
/// <param name="StrideWidth">Columns between consecutive windows.</param>
/// <param name="PadTop">Padded rows above the input.</param>
/// <param name="PadLeft">Padded columns left of the input.</param>
/// <param name="OutputHeight">Rows of the output.</param>
/// <param name="OutputWidth">Columns of the output.</param>
public readonly record struct Conv2DGeometry(
    int InputHeight, int InputWidth, int Channels,
    int WindowHeight, int WindowWidth,
    int StrideHeight, int StrideWidth,
    int PadTop, int PadLeft,
    int OutputHeight, int OutputWidth)
{
    /// <summary>'valid' padding: no padding, output = (input − window) / stride + 1 (floor) in each dimension.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the window is larger than the input.</exception>
    public static Conv2DGeometry Valid(int h, int w, int c, int kh, int kw, int sh, int sw)
    {
        CheckPositive(h, w, c, kh, kw, sh, sw);
        if (kh > h || kw > w)
        {
            throw new ArgumentOutOfRangeException(
                nameof(kh), $"A {kh}×{kw} window does not fit a {h}×{w} input without padding.");
        }

        return new Conv2DGeometry(h, w, c, kh, kw, sh, sw, 0, 0, ((h - kh) / sh) + 1, ((w - kw) / sw) + 1);
    }

    /// <summary>
    /// Keras/TF 'same' padding: output = ceil(input / stride); total padding max((out − 1)·stride + window − input, 0),
    /// of which top (left) gets half rounded down and bottom (right) the rest.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static Conv2DGeometry Same(int h, int w, int c, int kh, int kw, int sh, int sw)
    {
        CheckPositive(h, w, c, kh, kw, sh, sw);
        int oh = (h + sh - 1) / sh, ow = (w + sw - 1) / sw;
        int padH = Math.Max(((oh - 1) * sh) + kh - h, 0), padW = Math.Max(((ow - 1) * sw) + kw - w, 0);
        return new Conv2DGeometry(h, w, c, kh, kw, sh, sw, padH / 2, padW / 2, oh, ow);
    }

    /// <summary>Floats in one sample of the input (H·W·C).</summary>
    public int InputLength => InputHeight * InputWidth * Channels;

    /// <summary>Output pixels per sample (OH·OW).</summary>
    public int OutputPixels => OutputHeight * OutputWidth;

    /// <summary>Elements of one window over all channels (KH·KW·C): the depth of a convolution's product.</summary>
    public int WindowLength => WindowHeight * WindowWidth * Channels;

    /// <summary>Throws unless every size is positive and the padding and output agree with the window and strides.</summary>
    /// <exception cref="ArgumentException">The geometry is inconsistent.</exception>
    public void Validate()
    {
        if (InputHeight <= 0 || InputWidth <= 0 || Channels <= 0 || WindowHeight <= 0 || WindowWidth <= 0
            || StrideHeight <= 0 || StrideWidth <= 0 || OutputHeight <= 0 || OutputWidth <= 0 || PadTop < 0 || PadLeft < 0
            || PadTop >= WindowHeight || PadLeft >= WindowWidth)
        {
            throw new ArgumentException($"Invalid sliding-window geometry {this}: sizes must be positive and padding smaller than the window.");
        }

        // The last window must start inside the padded input (it may run into bottom/right padding).
        if (((OutputHeight - 1) * StrideHeight) - PadTop >= InputHeight || ((OutputWidth - 1) * StrideWidth) - PadLeft >= InputWidth)
        {
            throw new ArgumentException($"Invalid sliding-window geometry {this}: the last window starts past the input.");
        }
    }

    private static void CheckPositive(int h, int w, int c, int kh, int kw, int sh, int sw)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(w);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(c);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kh);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kw);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sh);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sw);
    }
}
