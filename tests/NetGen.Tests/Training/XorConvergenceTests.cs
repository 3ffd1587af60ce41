using System.Linq;
using NetGen.Optimizers;
using NetGen.Tests.Models;
using Xunit.Abstractions;

namespace NetGen.Tests.Training;

/// <summary>
/// The course's XOR experiment over 20 seeds. A 2-2-1 sigmoid network often sticks in a local minimum (two points at
/// 0.5); PyTorch with the same Glorot-uniform initializer, Adam(0.01) and 5000 full-batch epochs reaches 100% in 10 of
/// 20 seeds on this machine (../shared/peers/RESULTS.md §3). NetGen must do at least as well, and a 2-4-1 tanh
/// network must converge almost always.
/// </summary>
public class XorConvergenceTests(ITestOutputHelper output)
{
    private static readonly float[,] X = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
    private static readonly float[] Y = [0, 1, 1, 0];

    [Fact]
    public void Sigmoid_2_2_1_converges_in_at_least_as_many_seeds_as_pytorch()
    {
        int converged = Enumerable.Range(0, 20).Count(seed => Converges(new Xor221(seed), seed));
        output.WriteLine($"2-2-1 sigmoid: {converged}/20 seeds at 100%");
        Assert.True(converged >= 10, $"Only {converged} of 20 seeds reached 100% (PyTorch: 10 of 20).");
    }

    [Fact]
    public void Tanh_2_4_1_converges_in_at_least_19_of_20_seeds()
    {
        int converged = Enumerable.Range(0, 20).Count(seed => Converges(new Xor241Tanh(seed), seed));
        output.WriteLine($"2-4-1 tanh: {converged}/20 seeds at 100%");
        Assert.True(converged >= 19, $"Only {converged} of 20 seeds reached 100%.");
    }

    private static bool Converges(Network model, int seed)
    {
        model.Compile(new Adam(0.01f));
        model.Fit(X, Y, epochs: 5000, batchSize: 4, seed: seed, verbose: 0);
        float[,] p = model.Predict(X);
        return Enumerable.Range(0, 4).All(i => (p[i, 0] > 0.5f) == (Y[i] > 0.5f));
    }
}
