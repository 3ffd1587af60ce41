using System;
using NetGen.Tests.Models;
using NetGen.Training;

namespace NetGen.Tests.Course;

public class RegressionMetricsTests
{
    [Fact]
    public void R2_and_mae_match_hand_computed_values()
    {
        // targets 1,2,3,4 (mean 2.5, SS_tot 5); predictions 1.5,2,2.5,4 → SS_res 0.5, R² 0.9, MAE 0.25.
        float[] targets = [1, 2, 3, 4], predictions = [1.5f, 2, 2.5f, 4];
        var metrics = new RegressionMetrics(1);
        metrics.Add(predictions.AsSpan(0, 2), targets.AsSpan(0, 2));
        metrics.Add(predictions.AsSpan(2), targets.AsSpan(2));
        Assert.Equal(0.9, metrics.R2, 10);
        Assert.Equal(0.25, metrics.MeanAbsoluteError, 10);
        Assert.Equal(1.0, RegressionMetrics.R2Score(targets, targets), 10);
        Assert.True(RegressionMetrics.R2Score([2.5f, 2.5f, 2.5f, 2.5f], targets) is > -1e-9 and < 1e-9); // the mean scores 0
    }

    [Fact]
    public void R2_averages_over_outputs_like_scikit_learn()
    {
        // Output 0 perfect (R² 1); output 1 predicts its mean (R² 0): uniform average 0.5.
        float[] targets = [1, 10, 2, 20, 3, 30], predictions = [1, 20, 2, 20, 3, 20];
        Assert.Equal(0.5, RegressionMetrics.R2Score(predictions, targets, outputs: 2), 10);
    }

    [Fact]
    public void Evaluate_reports_mae_and_r2_for_regression_models()
    {
        var model = new Regressor(seed: 1);
        var x = new float[6, 3];
        var y = new float[6, 2];
        for (int i = 0; i < 6; i++)
        {
            x[i, 0] = i;
            y[i, 0] = i;
            y[i, 1] = -i;
        }

        Evaluation evaluation = model.Evaluate(x, y);
        float[,] predicted = model.Predict(x);
        var expected = new RegressionMetrics(2);
        var flat = new float[12];
        var targets = new float[12];
        for (int i = 0; i < 6; i++)
        {
            flat[2 * i] = predicted[i, 0];
            flat[(2 * i) + 1] = predicted[i, 1];
            targets[2 * i] = y[i, 0];
            targets[(2 * i) + 1] = y[i, 1];
        }

        expected.Add(flat, targets);
        Assert.Equal((float)expected.R2, evaluation.R2!.Value, 5);
        Assert.Equal((float)expected.MeanAbsoluteError, evaluation.MeanAbsoluteError!.Value, 5);
        Assert.Null(evaluation.Accuracy);
    }
}
