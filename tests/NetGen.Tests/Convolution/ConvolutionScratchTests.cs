using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Runtime.CompilerServices;
using NetGen.Kernels;

namespace NetGen.Tests.Convolution;

/// <summary>
/// Conv2D's working memory in generated code: as long as Conv2D.ScratchLength asks, reused by the same thread (so
/// no allocation after warm-up), never shared between threads (so concurrent predictions cannot overwrite each other's).
/// </summary>
public class ConvolutionScratchTests
{
    private static readonly Conv2DGeometry Small = Conv2DGeometry.Valid(6, 6, 2, 3, 3, 1, 1);
    private static readonly Conv2DGeometry Large = Conv2DGeometry.Same(28, 28, 8, 5, 5, 1, 1);

    [Fact]
    public void Has_the_length_the_kernel_asks_and_is_reused_by_the_thread()
    {
        Span<float> large = ConvolutionScratch.For(Large, 16, 32);
        Assert.Equal(Conv2D.ScratchLength(Large, 16, 32), large.Length);
        ref float start = ref MemoryMarshal.GetReference(large);

        Span<float> small = ConvolutionScratch.For(Small, 4, 3);
        Assert.Equal(Conv2D.ScratchLength(Small, 4, 3), small.Length);
        Assert.True(Unsafe.AreSame(ref start, ref MemoryMarshal.GetReference(small)), "a smaller request reuses the thread's buffer");
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => ConvolutionScratch.For(Large, 16, 32).Clear()));
    }

    [Fact]
    public void Each_thread_has_its_own()
    {
        float[]? other = null;
        var thread = new Thread(() => other = ConvolutionScratch.For(Small, 4, 3).ToArray());
        ConvolutionScratch.For(Small, 4, 3).Fill(7f);
        thread.Start();
        thread.Join();
        Assert.NotNull(other);
        Assert.All(other!, v => Assert.Equal(0f, v)); // a fresh buffer, not this thread's sevens
    }
}
