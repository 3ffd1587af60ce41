using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>
/// The metrics passed to <c>Compile</c>, instantiated for one pass over data (an epoch or an evaluation): their
/// states, their log names and a reused buffer for the running values each step reports, so a step allocates nothing.
/// </summary>
internal sealed class MetricSet
{
    private readonly MetricState[] _states;
    private readonly string[] _names, _validationNames;
    private readonly KeyValuePair<string, float>[] _running;

    /// <summary>No metrics: stateless, so one instance serves every model and thread (Evaluate then allocates only its result).</summary>
    public static readonly MetricSet None = new(null!, []);

    /// <summary>The metrics for one pass, or <see cref="None"/> when none are compiled.</summary>
    public static MetricSet For(NetworkInfo info, IReadOnlyList<Metric> metrics) => metrics.Count == 0 ? None : new MetricSet(info, metrics);

    public MetricSet(NetworkInfo info, IReadOnlyList<Metric> metrics)
    {
        _states = new MetricState[metrics.Count];
        _names = new string[metrics.Count];
        _validationNames = new string[metrics.Count];
        _running = new KeyValuePair<string, float>[metrics.Count];
        for (int i = 0; i < metrics.Count; i++)
        {
            _states[i] = metrics[i].CreateState(info);
            _names[i] = metrics[i].Name(info.Loss);
            _validationNames[i] = "val_" + _names[i];
        }
    }

    public bool IsEmpty => _states.Length == 0;

    public void Reset()
    {
        foreach (MetricState s in _states)
        {
            s.Reset();
        }
    }

    public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets, int batch)
    {
        foreach (MetricState s in _states)
        {
            s.Add(outputs, targets, batch);
        }
    }

    /// <summary>The values so far, in a buffer this object reuses: valid until the next call.</summary>
    public ReadOnlyMemory<KeyValuePair<string, float>> Running()
    {
        for (int i = 0; i < _states.Length; i++)
        {
            _running[i] = new KeyValuePair<string, float>(_names[i], _states[i].Result());
        }

        return _running;
    }

    /// <summary>Adds the values so far to <paramref name="into"/>, named with <c>val_</c> when <paramref name="validation"/>.</summary>
    public void CopyTo(Dictionary<string, float> into, bool validation)
    {
        for (int i = 0; i < _states.Length; i++)
        {
            into[validation ? _validationNames[i] : _names[i]] = _states[i].Result();
        }
    }
}
