using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Tests.TestHelpers;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Tests;

/// <summary>
/// The buffer kinds the convolutional layers will declare, which no layer kind of today's uses: scratch shared between
/// layers (one field, as long as the longest asks, one place in the inference scratch), int buffers (a pooling
/// argmax) and buffers of a fixed size. Declared on a real spec, emitted by the real emitter.
/// </summary>
public sealed class BufferDeclarationTests
{
    [Fact]
    public void Shared_int_and_fixed_buffers_are_declared_allocated_and_placed_once()
    {
        HarnessResult result = GeneratorHarness.Run("""
            using NetGen;

            [Sequential(4)]
            [Dense(8, Activation.ReLU, Name = "first")]
            [Dense(3, Name = "second")]
            public partial class Net;
            """);
        INamedTypeSymbol type = result.Input.GetTypeByMetadataName("Net")!;
        NetworkSpec spec = NetworkValidator.Validate(NetworkParser.Parse(type, result.Input, CancellationToken.None)).Spec!;
        LayerSpec first = spec.Layers[0], second = spec.Layers[1];
        first = first with { Buffers = first.Buffers.Concat([
            new BufferSpec("_convScratch", BufferRole.Scratch, 50, InInference: true, Shared: true),
            new BufferSpec("_firstArgmax", BufferRole.Saved, 8, IsInt: true),
            new BufferSpec("_firstStatistics", BufferRole.Saved, 12, PerSample: false)]).ToEquatableArray() };
        second = second with { Buffers = second.Buffers.Concat([new BufferSpec("_convScratch", BufferRole.Scratch, 80, InInference: true, Shared: true)]).ToEquatableArray() };
        spec = spec with { Layers = new[] { first, second }.ToEquatableArray() };

        string network = NetworkEmitter.Emit(spec);
        Assert.Single(network.Split('\n'), l => l.Contains("private float[] _convScratch", StringComparison.Ordinal));
        Assert.Contains("_convScratch = new float[batchSize * 80];", network, StringComparison.Ordinal);
        Assert.Contains("private int[] _firstArgmax = global::System.Array.Empty<int>();", network, StringComparison.Ordinal);
        Assert.Contains("_firstArgmax = new int[batchSize * 8];", network, StringComparison.Ordinal);
        Assert.Contains("_firstStatistics = new float[12];", network, StringComparison.Ordinal);

        // first's z and a (8 + 8), the shared scratch once at its longest (80), second's z (3); the int and fixed ones are training-only.
        Assert.Equal(8 + 8 + 80 + 3, InferenceScratch.For(spec).FloatsPerSample);
        Assert.Contains("protected override int WidestActivation => 80;", network, StringComparison.Ordinal);
    }
}
