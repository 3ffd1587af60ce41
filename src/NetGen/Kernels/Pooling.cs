using System;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>What the pooling kernels share: argument checks and each window's rows and columns cut to the input.</summary>
internal static class Pooling
{
    /// <summary>Input rows [start, end) of output row <paramref name="oy"/>'s window, padded rows left out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Start, int End) Rows(in Conv2DGeometry g, int oy)
    {
        int start = (oy * g.StrideHeight) - g.PadTop;
        return (Math.Max(start, 0), Math.Min(start + g.WindowHeight, g.InputHeight));
    }

    /// <summary>Input columns [start, end) of output column <paramref name="ox"/>'s window, padded columns left out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Start, int End) Columns(in Conv2DGeometry g, int ox)
    {
        int start = (ox * g.StrideWidth) - g.PadLeft;
        return (Math.Max(start, 0), Math.Min(start + g.WindowWidth, g.InputWidth));
    }

    /// <summary>Checks the geometry and that the input-sized and output-sized buffers hold <paramref name="batch"/> samples.</summary>
    public static void Check(int inputLength, int outputLength, in Conv2DGeometry g, int batch, string outputName)
    {
        g.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        CheckLength(inputLength, (long)batch * g.InputLength, "input");
        CheckLength(outputLength, (long)batch * g.OutputPixels * g.Channels, outputName);
    }

    public static void CheckLength(int actual, long needed, string name)
    {
        if (actual < needed)
        {
            throw new ArgumentException($"{name} holds {actual} elements; the pooling needs {needed}.", name);
        }
    }
}
