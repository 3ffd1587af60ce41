using System;
using System.Globalization;

namespace NetGen.Threading;

/// <summary>
/// How many threads NetGen's kernels may use for one operation (the calling thread included). Large matrix products
/// (a training step's big layers, batch prediction) and the optimizer's update are split into that many parts; small
/// ones always run on the calling thread, where splitting would cost more than it saves. The starting value comes
/// from the environment variable <c>NETGEN_THREADS</c> (a number ≥ 1), read once; unset or invalid means
/// <see cref="Environment.ProcessorCount"/>, capped at <see cref="MaxSupported"/>.
/// </summary>
/// <remarks>
/// Results do not depend on this setting: every part computes whole output elements in the same order as the
/// single-threaded code, so 1 and N threads give bit-identical numbers. Set it to 1 to keep NetGen on the calling
/// thread (for example in a server that already uses every core). Only one operation at a time uses the helper
/// threads; a second thread calling NetGen meanwhile runs its operation on its own thread, so concurrent models stay
/// correct and never wait for each other.
/// </remarks>
public static class Parallelism
{
    /// <summary>The name of the environment variable read at startup.</summary>
    public const string EnvironmentVariable = "NETGEN_THREADS";

    /// <summary>The most threads one operation is split over; batch-32 training cannot use more.</summary>
    public const int MaxSupported = 8;

    private static volatile int s_maxThreads = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable))
        ?? Math.Clamp(Environment.ProcessorCount, 1, MaxSupported);

    /// <summary>Threads one operation may use, the caller's included: 1 disables the helper threads.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="MaxSupported"/>.</exception>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSupported);
            s_maxThreads = value;
        }
    }

    /// <summary>Reads a <c>NETGEN_THREADS</c> value; null when it is not a whole number in range.</summary>
    internal static int? Parse(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int threads) && threads is >= 1 and <= MaxSupported
            ? threads
            : null;
}
