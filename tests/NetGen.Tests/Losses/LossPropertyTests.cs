using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using NetGen.Losses;

namespace NetGen.Tests.Losses;

/// <summary>FsCheck properties over random shapes and values (plain FsCheck, run from xunit facts).</summary>
public sealed class LossPropertyTests
{
    /// <summary>A batch of rows with one label per row; targets are one-hot, soft (sum 1) or unnormalized weights.</summary>
    public sealed record Rows(int Batch, int Classes, float[] Output, float[] Labels, float[] Targets)
    {
        public override string ToString() =>
            $"batch {Batch}, classes {Classes}, output [{string.Join(", ", Output)}], labels [{string.Join(", ", Labels)}], targets [{string.Join(", ", Targets)}]";
    }

    [Fact]
    public void CrossEntropy_from_logits_is_non_negative_and_finite_and_its_gradient_rows_sum_to_zero()
    {
        Prop.ForAll(RowsOf(-200f, 200f, normalizedTargets: true), rows =>
        {
            var gradient = new float[rows.Output.Length];
            float loss = CategoricalCrossEntropy.FromLogits(rows.Output, rows.Targets, rows.Batch, gradient);
            return loss >= 0f && float.IsFinite(loss) && RowSumsNearZero(gradient, rows);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Sparse_cross_entropy_from_logits_equals_the_one_hot_form_and_its_gradient_rows_sum_to_zero()
    {
        Prop.ForAll(RowsOf(-200f, 200f, normalizedTargets: true), rows =>
        {
            float[] sparse = new float[rows.Output.Length], dense = new float[rows.Output.Length];
            float sparseLoss = SparseCategoricalCrossEntropy.FromLogits(rows.Output, rows.Labels, rows.Batch, sparse);
            float denseLoss = CategoricalCrossEntropy.FromLogits(rows.Output, LossReference.OneHot(rows.Labels, rows.Classes), rows.Batch, dense);
            return sparseLoss >= 0f && float.IsFinite(sparseLoss)
                && Close(sparseLoss, denseLoss, 1e-6) && AllClose(sparse, dense, 1e-7) && RowSumsNearZero(sparse, rows);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Binary_cross_entropy_from_logits_is_non_negative_with_bounded_gradient_for_targets_in_0_1()
    {
        Gen<(float[] Z, float[] T)> values =
            from n in Gen.Choose(1, 24)
            from z in Gen.ArrayOf(Value(-200f, 200f), n)
            from t in Gen.ArrayOf(Value(0f, 1f), n)
            select (z, t);
        Prop.ForAll(values.ToArbitrary(), v =>
        {
            var gradient = new float[v.Z.Length];
            float loss = BinaryCrossEntropy.FromLogits(v.Z, v.T, 1, gradient);
            float bound = 1f / v.Z.Length;
            return loss >= 0f && float.IsFinite(loss) && gradient.All(g => Math.Abs(g) <= bound);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Binary_cross_entropy_fused_form_agrees_with_the_probability_form_away_from_clipping()
    {
        Gen<(float[] Z, float[] T)> values =
            from n in Gen.Choose(1, 24)
            from z in Gen.ArrayOf(Value(-6f, 6f), n)
            from t in Gen.ArrayOf(Value(0f, 1f), n)
            select (z, t);
        Prop.ForAll(values.ToArbitrary(), v =>
        {
            int n = v.Z.Length;
            float[] p = v.Z.Select(z => (float)(1 / (1 + Math.Exp(-z)))).ToArray();
            float[] dz = new float[n], dp = new float[n];
            float fused = BinaryCrossEntropy.FromLogits(v.Z, v.T, 1, dz);
            float plain = BinaryCrossEntropy.FromProbabilities(p, v.T, 1, dp);

            // Chain rule through the sigmoid: ∂L/∂z = ∂L/∂p · p(1 − p).
            double[] chained = Enumerable.Range(0, n).Select(i => dp[i] * (double)p[i] * (1 - p[i])).ToArray();
            return Close(fused, plain, 1e-4) && AllClose(dz, chained, 1e-5 / n);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Categorical_cross_entropy_fused_form_agrees_with_the_probability_form_away_from_clipping()
    {
        Prop.ForAll(RowsOf(-5f, 5f, normalizedTargets: false), rows =>
        {
            float[] p = Softmax(rows.Output, rows.Classes);
            float[] dz = new float[p.Length], dp = new float[p.Length];
            float fused = CategoricalCrossEntropy.FromLogits(rows.Output, rows.Targets, rows.Batch, dz);
            float plain = CategoricalCrossEntropy.FromProbabilities(p, rows.Targets, rows.Batch, dp);
            return Close(fused, plain, 1e-5) && AllClose(dz, ThroughSoftmax(p, dp, rows.Classes), 1e-5);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Sparse_cross_entropy_fused_form_agrees_with_the_probability_form_away_from_clipping()
    {
        Prop.ForAll(RowsOf(-5f, 5f, normalizedTargets: true), rows =>
        {
            float[] p = Softmax(rows.Output, rows.Classes);
            float[] dz = new float[p.Length], dp = new float[p.Length];
            float fused = SparseCategoricalCrossEntropy.FromLogits(rows.Output, rows.Labels, rows.Batch, dz);
            float plain = SparseCategoricalCrossEntropy.FromProbabilities(p, rows.Labels, rows.Batch, dp);
            return Close(fused, plain, 1e-5) && AllClose(dz, ThroughSoftmax(p, dp, rows.Classes), 1e-5);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Mean_absolute_error_never_exceeds_root_mean_squared_error()
    {
        Gen<(float[] Y, float[] T)> values =
            from n in Gen.Choose(1, 24)
            from y in Gen.ArrayOf(Value(-100f, 100f), n)
            from t in Gen.ArrayOf(Value(-100f, 100f), n)
            select (y, t);
        Prop.ForAll(values.ToArbitrary(), v =>
        {
            float mae = MeanAbsoluteError.Compute(v.Y, v.T, 1, []);
            float mse = MeanSquaredError.Compute(v.Y, v.T, 1, []);
            return mae >= 0f && mse >= 0f && mae <= (Math.Sqrt(mse) * (1 + 1e-6)) + 1e-6;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Values on a 1e-3 grid in [low, high] (FsCheck 3 has no bounded float generator).</summary>
    private static Gen<float> Value(float low, float high) =>
        Gen.Choose((int)(low * 1000), (int)(high * 1000)).Select(i => i / 1000f);

    private static Arbitrary<Rows> RowsOf(float low, float high, bool normalizedTargets)
    {
        Gen<Rows> rows =
            from batch in Gen.Choose(1, 4)
            from classes in Gen.Choose(1, 10)
            from output in Gen.ArrayOf(Value(low, high), batch * classes)
            from labels in Gen.ArrayOf(Gen.Choose(0, classes - 1).Select(i => (float)i), batch)
            from weights in Gen.ArrayOf(Value(0f, 2f), batch * classes)
            from kind in Gen.Choose(0, 1)
            select new Rows(batch, classes, output, labels, Targets(labels, weights, classes, kind == 0 ? 0 : normalizedTargets ? 1 : 2));
        return rows.ToArbitrary();
    }

    /// <summary>0: one-hot from the labels; 1: the weights rescaled per row to sum to 1; 2: the raw weights.</summary>
    private static float[] Targets(float[] labels, float[] weights, int classes, int kind)
    {
        if (kind == 0)
        {
            return LossReference.OneHot(labels, classes);
        }

        float[] t = (float[])weights.Clone();
        for (int b = 0; kind == 1 && b < labels.Length; b++)
        {
            Span<float> row = t.AsSpan(b * classes, classes);
            float total = 0;
            foreach (float w in row)
            {
                total += w;
            }

            if (total == 0f)
            {
                row.Fill(1f / classes);
                continue;
            }

            for (int i = 0; i < classes; i++)
            {
                row[i] /= total;
            }
        }

        return t;
    }

    private static float[] Softmax(float[] z, int classes)
    {
        var p = new float[z.Length];
        for (int b = 0; b < z.Length / classes; b++)
        {
            double max = z.Skip(b * classes).Take(classes).Max();
            double total = z.Skip(b * classes).Take(classes).Sum(v => Math.Exp(v - max));
            for (int i = 0; i < classes; i++)
            {
                p[(b * classes) + i] = (float)(Math.Exp(z[(b * classes) + i] - max) / total);
            }
        }

        return p;
    }

    /// <summary>∂L/∂z from ∂L/∂p through softmax's Jacobian: dz_j = p_j·(dp_j − Σ_i p_i·dp_i).</summary>
    private static double[] ThroughSoftmax(float[] p, float[] dp, int classes)
    {
        var dz = new double[p.Length];
        for (int b = 0; b < p.Length / classes; b++)
        {
            double dot = 0;
            for (int i = 0; i < classes; i++)
            {
                dot += (double)p[(b * classes) + i] * dp[(b * classes) + i];
            }

            for (int i = 0; i < classes; i++)
            {
                int k = (b * classes) + i;
                dz[k] = p[k] * (dp[k] - dot);
            }
        }

        return dz;
    }

    private static bool RowSumsNearZero(float[] gradient, Rows rows)
    {
        for (int b = 0; b < rows.Batch; b++)
        {
            double sum = 0;
            for (int i = 0; i < rows.Classes; i++)
            {
                sum += gradient[(b * rows.Classes) + i];
            }

            if (Math.Abs(sum) > 1e-6)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Close(double a, double b, double relative) => Math.Abs(a - b) <= relative * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static bool AllClose(float[] actual, float[] expected, double tolerance) =>
        actual.Zip(expected).All(x => Math.Abs(x.First - x.Second) <= tolerance);

    private static bool AllClose(float[] actual, double[] expected, double tolerance) =>
        actual.Zip(expected).All(x => Math.Abs(x.First - x.Second) <= tolerance);
}
