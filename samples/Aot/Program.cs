using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using NetGen;
using NetGen.Kernels;
using NetGen.Optimizers;
using Samples.Aot;

// Trains two small networks and predicts with them, the same way under the JIT (`dotnet run`) and as a NativeAOT
// binary (`dotnet publish -r linux-x64`). The weights fingerprint is a hash of every trained parameter's bits: two
// builds that print the same one trained bit-identical weights. CI compares the AOT binary's with the JIT's.
const int Samples = 3000;
var invariant = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(invariant,
    $"runtime: {(JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "NativeAOT")}, SIMD tier {Simd.EffectiveTier}, fused multiply-add: {(Simd.IsMultiplyAddFused ? "yes" : "no")}"));

// Three classes on a 3×3 checkerboard over [-1, 1)², drawn from a seeded generator with exact arithmetic only.
var random = new Random(11);
var x = new float[Samples, 2];
var labels = new int[Samples];
for (int i = 0; i < Samples; i++)
{
    x[i, 0] = (2 * random.NextSingle()) - 1;
    x[i, 1] = (2 * random.NextSingle()) - 1;
    labels[i] = ((int)MathF.Floor((x[i, 0] + 1) * 1.5f) + (int)MathF.Floor((x[i, 1] + 1) * 1.5f)) % 3;
}

var board = new BoardNet(seed: 7);
board.Adapt(x);
board.Compile(new Adam(learningRate: 0.01f));
var clock = Stopwatch.StartNew();
board.Fit(x, labels, epochs: 20, batchSize: 32, seed: 7, verbose: 0);
double trainMs = clock.Elapsed.TotalMilliseconds;
float boardAccuracy = board.Evaluate(x, labels).Accuracy ?? 0f;
Console.WriteLine(string.Create(invariant, $"board: 20 epochs of {Samples} samples in {trainMs:F0} ms, accuracy {boardAccuracy * 100:F2}%"));

float[,] xorX = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
float[] xorY = [0, 1, 1, 0];
var xor = new XorNet(seed: 7);
xor.Compile(new Adam(learningRate: 0.05f));
xor.Fit(xorX, xorY, epochs: 1000, batchSize: 4, seed: 7, verbose: 0);
float[,] xorP = xor.Predict(xorX);
int xorRight = 0;
for (int i = 0; i < 4; i++)
{
    xorRight += (xorP[i, 0] > 0.5f ? 1 : 0) == (int)xorY[i] ? 1 : 0;
}

Console.WriteLine(string.Create(invariant, $"xor: {xorP[0, 0]:F3} {xorP[1, 0]:F3} {xorP[2, 0]:F3} {xorP[3, 0]:F3}, {xorRight} of 4 right"));
Console.WriteLine($"weights fingerprint: {Fingerprint(board.Parameters, xor.Parameters):x16}");

// Prediction speed: one sample at a time (the allocation-free overload), then the whole set as one batch.
float[] sample = [0.25f, -0.5f], output = new float[3];
var flat = new float[Samples * 2];
Buffer.BlockCopy(x, 0, flat, 0, flat.Length * sizeof(float));
var outputs = new float[Samples * 3];
for (int i = 0; i < 20_000; i++)
{
    board.Predict(sample, output); // warm-up: the JIT's tiers, the caches
}

const int Singles = 200_000, Batches = 50;
clock.Restart();
for (int i = 0; i < Singles; i++)
{
    board.Predict(sample, output);
}

double singleUs = clock.Elapsed.TotalMicroseconds / Singles;
clock.Restart();
for (int i = 0; i < Batches; i++)
{
    board.PredictBatch(flat, outputs);
}

double perSecond = Batches * (double)Samples / clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(invariant, $"predict: {singleUs:F2} µs per sample, {perSecond / 1e6:F2} M samples/s in batches of {Samples}"));

bool ok = boardAccuracy >= 0.9f && xorRight == 4;
Console.WriteLine(ok ? "ok" : "FAILED: the board needs 90% accuracy and XOR all four right");
return ok ? 0 : 1;

// FNV-1a over the parameters' bits: equal only when every weight is bit-identical.
static ulong Fingerprint(ReadOnlySpan<float> first, ReadOnlySpan<float> second)
{
    ulong hash = 14695981039346656037;
    foreach (float v in first)
    {
        hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211;
    }

    foreach (float v in second)
    {
        hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211;
    }

    return hash;
}
