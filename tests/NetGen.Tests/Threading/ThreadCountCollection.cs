using System;
using NetGen.Threading;

namespace NetGen.Tests.Threading;

/// <summary>
/// Tests that set <see cref="Parallelism.MaxThreads"/> run alone, so each one knows how many threads the code it
/// calls may use.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    public const string Name = "Thread count (runs alone)";
}

/// <summary>Sets <see cref="Parallelism.MaxThreads"/> for a using block and restores it, even when the test fails.</summary>
internal sealed class ThreadScope : IDisposable
{
    private readonly int _previous;

    public ThreadScope(int threads)
    {
        _previous = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
    }

    public void Dispose() => Parallelism.MaxThreads = _previous;
}
