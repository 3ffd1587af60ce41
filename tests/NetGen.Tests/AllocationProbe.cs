using System;

namespace NetGen.Tests;

/// <summary>
/// Measures what an operation allocates once it is warm. The runtime itself may allocate on the calling thread
/// while tiered compilation promotes a method (seen on CI: one 2 KB burst in an otherwise clean run), so the
/// probe measures several windows and reports the smallest: a steady per-call allocation shows in every window,
/// a one-off runtime event in at most a few.
/// </summary>
internal static class AllocationProbe
{
    public static long SteadyStateBytes(Action operation, int callsPerWindow = 200, int windows = 5, int warmUpCalls = 64)
    {
        for (int i = 0; i < warmUpCalls; i++)
        {
            operation();
        }

        long smallest = long.MaxValue;
        for (int w = 0; w < windows; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerWindow; i++)
            {
                operation();
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return smallest;
    }
}
