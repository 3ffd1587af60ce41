using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace NetGen.Benchmarks.Peers;

/// <summary>
/// How much CPU time the machine takes away from a running thread without telling it: one thread per core reads the
/// clock in a tight loop and adds up every gap longer than 5 µs. On this project's VM the host takes about 35-40 µs of
/// each virtual CPU every millisecond (about 6 %), which the guest does not count as steal time; in a training epoch
/// it shows as one step in every ~13 of the MLP taking about 45 µs longer. Recorded with each comparison, since it
/// varies with the host and moves every figure of the run.
/// </summary>
internal static class StallProbe
{
    /// <summary>Gaps at least this long count as stalls: a clock read takes tens of nanoseconds.</summary>
    private static readonly long MinGap = Stopwatch.Frequency / 200_000; // 5 µs

    /// <summary>Runs the probe on <paramref name="threads"/> threads at once for <paramref name="seconds"/>.</summary>
    public static StallReading Measure(int threads, double seconds)
    {
        var results = new (double Lost, int Count, double Median)[threads];
        var workers = Enumerable.Range(0, threads)
            .Select(t => new Thread(() => results[t] = Probe(seconds)) { IsBackground = true, Name = $"stall probe {t}" })
            .ToArray();
        foreach (Thread w in workers)
        {
            w.Start();
        }

        foreach (Thread w in workers)
        {
            w.Join();
        }

        return new StallReading(
            results.Average(r => r.Lost), results.Average(r => r.Count / seconds), results.Average(r => r.Median), threads, seconds);
    }

    private static (double Lost, int Count, double Median) Probe(double seconds)
    {
        var gaps = new long[(int)(seconds * 20_000) + 16];
        int count = 0;
        long lost = 0, start = Stopwatch.GetTimestamp(), end = start + (long)(seconds * Stopwatch.Frequency), last = start;
        while (last < end)
        {
            long now = Stopwatch.GetTimestamp();
            long gap = now - last;
            if (gap >= MinGap)
            {
                lost += gap;
                if (count < gaps.Length)
                {
                    gaps[count++] = gap;
                }
            }

            last = now;
        }

        Array.Sort(gaps, 0, count);
        double median = count == 0 ? 0 : gaps[count / 2] * 1e6 / Stopwatch.Frequency;
        return ((double)lost / (end - start), count, median);
    }
}

/// <summary>One probe: the share of time lost per thread, stalls per second per thread, and the median stall.</summary>
internal sealed record StallReading(double LostFraction, double StallsPerSecond, double MedianMicroseconds, int Threads, double Seconds)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{LostFraction * 100:F1} % of each thread's time ({StallsPerSecond:F0} stalls/s of median {MedianMicroseconds:F0} µs; {Threads} threads, {Seconds:F1} s)");
}
