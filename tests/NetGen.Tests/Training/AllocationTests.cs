using NetGen.Optimizers;
using NetGen.Tests.Models;

namespace NetGen.Tests.Training;

/// <summary>After warm-up, a training step and a prediction allocate nothing: buffers are sized once and reused.</summary>
public class AllocationTests
{
    [Fact]
    public void Training_step_allocates_nothing_after_warm_up()
    {
        var model = new Mlp(seed: 1);
        var optimizer = new Adam();
        const int batch = 32;
        var x = new float[batch * Mlp.InputSize];
        var y = new float[batch];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (i % 255) / 255f;
        }

        for (int i = 0; i < batch; i++)
        {
            y[i] = i % 10;
        }

        void Step()
        {
            model.Forward(x, batch, training: true);
            model.Backward(x, y, batch);
            optimizer.Step(model.Parameters, model.Gradients);
        }

        Assert.Equal(0, AllocationProbe.SteadyStateBytes(Step, callsPerWindow: 50));
    }

    [Fact]
    public void Single_prediction_allocates_nothing_after_warm_up()
    {
        var model = new Mlp(seed: 1);
        var x = new float[Mlp.InputSize];
        var y = new float[Mlp.OutputSize];
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => model.Predict(x, y)));
    }

    [Fact]
    public void The_probe_sees_a_steady_allocation()
    {
        object? sink = null;
        Assert.True(AllocationProbe.SteadyStateBytes(() => sink = new byte[16]) >= 200 * 16);
        Assert.NotNull(sink);
    }
}
