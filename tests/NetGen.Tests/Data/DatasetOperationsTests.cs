using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;

namespace NetGen.Tests.Data;

public class DatasetOperationsTests
{
    // Sample i has features [i, 100 + i] and label i % classes, so every row says where it came from.
    private static Dataset Numbered(int count, int classes = 3) =>
        new(Enumerable.Range(0, count).SelectMany(i => new float[] { i, 100 + i }).ToArray(), 2,
            Enumerable.Range(0, count).Select(i => (float)(i % classes)).ToArray(), 1);

    private static Dataset WithLabels(params int[] labels) =>
        new(Enumerable.Range(0, labels.Length).SelectMany(i => new float[] { i, 100 + i }).ToArray(), 2,
            Array.ConvertAll(labels, l => (float)l), 1);

    /// <summary>The original index of each sample, checking its row is intact (features and target still together).</summary>
    private static int[] Origins(Dataset data, int classes = 3) =>
        Enumerable.Range(0, data.Count).Select(r =>
        {
            int i = (int)data.FeaturesOf(r)[0];
            Assert.Equal(100 + i, data.FeaturesOf(r)[1]);
            Assert.Equal(i % classes, data.TargetsOf(r)[0]);
            return i;
        }).ToArray();

    [Fact]
    public void Shuffle_is_a_seeded_permutation_of_whole_rows_and_leaves_the_source_alone()
    {
        Dataset data = Numbered(50);
        int[] once = Origins(data.Shuffle(7)), again = Origins(data.Shuffle(7)), other = Origins(data.Shuffle(8));
        Assert.Equal(once, again);
        Assert.NotEqual(once, other);
        Assert.NotEqual(Enumerable.Range(0, 50), once);
        Assert.Equal(Enumerable.Range(0, 50), once.Order());
        Assert.Equal(Enumerable.Range(0, 50), Origins(data));
    }

    [Theory]
    [InlineData(10, 0.3, 3)]
    [InlineData(10, 0.25, 3)] // 2.5 rounds away from zero
    [InlineData(150, 0.2, 30)]
    [InlineData(2, 0.5, 1)]
    public void Split_partitions_the_samples_with_the_rounded_share_held_out(int count, double fraction, int held)
    {
        (Dataset train, Dataset validation) = Numbered(count).Split(fraction, seed: 1);
        Assert.Equal(held, validation.Count);
        Assert.Equal(count - held, train.Count);
        int[] t = Origins(train), v = Origins(validation);
        Assert.Empty(t.Intersect(v));
        Assert.Equal(Enumerable.Range(0, count), t.Concat(v).Order());
        if (t.Length >= 7)
        {
            Assert.NotEqual(t.Order(), t); // shuffled, as train_test_split returns it (seeded: deterministic)
        }
    }

    [Fact]
    public void Split_is_deterministic_per_seed_and_varies_across_seeds()
    {
        Dataset data = Numbered(100);
        Assert.Equal(Origins(data.Split(0.3, 5).Validation), Origins(data.Split(0.3, 5).Validation));
        Assert.NotEqual(Origins(data.Split(0.3, 5).Validation), Origins(data.Split(0.3, 6).Validation));
        Assert.NotEqual(Enumerable.Range(70, 30), Origins(data.Split(0.3, 5).Validation)); // not simply the tail
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Split_fraction_must_be_strictly_between_0_and_1(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(fraction, 1));

    [Fact]
    public void Split_that_would_leave_a_part_empty_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Numbered(10).Split(0.01, 1));
        Assert.Contains("0 in the validation part", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Numbered(10).Split(0.97, 1));
    }

    [Fact]
    public void Stratified_split_holds_out_each_class_in_proportion()
    {
        int[] labels = [.. Enumerable.Repeat(0, 60), .. Enumerable.Repeat(1, 30), .. Enumerable.Repeat(2, 10)];
        Dataset data = WithLabels(labels).Shuffle(3);
        for (int seed = 0; seed < 5; seed++)
        {
            (Dataset train, Dataset validation) = data.Split(0.2, seed, stratify: true);
            Assert.Equal(new Dictionary<float, int> { [0] = 12, [1] = 6, [2] = 2 }, ClassCounts(validation));
            Assert.Equal(new Dictionary<float, int> { [0] = 48, [1] = 24, [2] = 8 }, ClassCounts(train));
        }
    }

    [Fact]
    public void Stratified_split_gives_leftover_samples_to_the_largest_remainders_and_matches_the_plain_total()
    {
        // 3 classes of 7 at 0.5: exact shares 3.5 each, total round(10.5) = 11, so two classes hold out 4 and one 3;
        // ties go to the smaller labels.
        Dataset data = WithLabels([.. Enumerable.Repeat(0, 7), .. Enumerable.Repeat(1, 7), .. Enumerable.Repeat(2, 7)]);
        Assert.Equal(new Dictionary<float, int> { [0] = 4, [1] = 4, [2] = 3 }, ClassCounts(data.Split(0.5, 9, stratify: true).Validation));

        // 23 / 9 / 4 samples at 0.2: shares 4.6 / 1.8 / 0.8, floors 4 + 1 + 0 = 5, total round(7.2) = 7, so the two
        // largest remainders (classes 1 and 2, 0.8 each) get one more and class 0 (0.6) does not.
        data = WithLabels([.. Enumerable.Repeat(0, 23), .. Enumerable.Repeat(1, 9), .. Enumerable.Repeat(2, 4)]);
        Assert.Equal(new Dictionary<float, int> { [0] = 4, [1] = 2, [2] = 1 }, ClassCounts(data.Split(0.2, 9, stratify: true).Validation));
    }

    [Fact]
    public void Stratified_split_is_deterministic_and_partitions_intact_rows()
    {
        Dataset data = Numbered(90);
        (Dataset train, Dataset validation) = data.Split(0.3, 11, stratify: true);
        (Dataset train2, Dataset validation2) = data.Split(0.3, 11, stratify: true);
        Assert.Equal(Origins(validation), Origins(validation2));
        Assert.Equal(Origins(train), Origins(train2));
        Assert.Equal(Enumerable.Range(0, 90), Origins(train).Concat(Origins(validation)).Order());
        Assert.NotEqual(Origins(validation), Origins(data.Split(0.3, 12, stratify: true).Validation));
    }

    [Fact]
    public void Stratified_split_needs_integer_class_labels()
    {
        var oneHot = new Dataset(new float[4], 1, [1, 0, 0, 1, 1, 0, 0, 1], 2);
        var error = Assert.Throws<InvalidOperationException>(() => oneHot.Split(0.5, 1, stratify: true));
        Assert.Contains("2 values per sample", error.Message, StringComparison.Ordinal);
        var fractional = new Dataset(new float[4], 1, [0, 1, 0.5f, 1], 1);
        error = Assert.Throws<InvalidOperationException>(() => fractional.Split(0.5, 1, stratify: true));
        Assert.Contains("sample 2 has target 0.5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, 0.2, 5, false)]
    [InlineData(100, 0.2, 5, true)]
    [InlineData(90, 0.3, 11, true)]
    [InlineData(10, 0.25, 1, false)]
    public void SplitIndices_are_the_rows_Split_returns_in_the_same_order(int count, double fraction, int seed, bool stratify)
    {
        Dataset data = Numbered(count);
        (int[] trainIndices, int[] validationIndices) = data.SplitIndices(fraction, seed, stratify);
        (Dataset train, Dataset validation) = data.Split(fraction, seed, stratify);
        Assert.Equal(Origins(train), trainIndices);
        Assert.Equal(Origins(validation), validationIndices);
        Assert.Equal(Origins(data.Subset(trainIndices)), Origins(train));
        Assert.Equal(Enumerable.Range(0, count), trainIndices.Concat(validationIndices).Order());
        Assert.Equal(Origins(data.Split(fraction, seed + 1, stratify).Validation), data.SplitIndices(fraction, seed + 1, stratify).Validation);
    }

    [Fact]
    public void SplitIndices_checks_its_arguments_like_Split()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).SplitIndices(1.0, 1));
        Assert.Throws<ArgumentException>(() => Numbered(10).SplitIndices(0.01, 1));
        var fractional = new Dataset(new float[4], 1, [0, 1, 0.5f, 1], 1);
        Assert.Throws<InvalidOperationException>(() => fractional.SplitIndices(0.5, 1, stratify: true));
    }

    [Fact]
    public void Take_Slice_and_Subset_copy_the_chosen_rows()
    {
        Dataset data = Numbered(10);
        Assert.Equal([0, 1, 2], Origins(data.Take(3)));
        Assert.Equal(10, data.Take(50).Count);
        Assert.Equal(0, data.Take(0).Count);
        Assert.Equal([4, 5, 6, 7], Origins(data.Slice(4, 4)));
        Assert.Equal([9, 0, 9], Origins(data.Subset([9, 0, 9])));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Take(-1));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([1, 10]));
        Assert.Contains("Index 10 (position 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scale_multiplies_features_and_keeps_targets()
    {
        Dataset data = Numbered(4);
        Dataset scaled = data.Scale(0.5f);
        Assert.Equal(data.Features.ToArray().Select(f => f * 0.5f), scaled.Features.ToArray());
        Assert.Equal(data.Targets.ToArray(), scaled.Targets.ToArray());
        Assert.Equal(1f, data.FeaturesOf(1)[0]); // source untouched
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Scale(float.NaN));
    }

    [Fact]
    public void ToOneHot_writes_a_one_at_each_label()
    {
        Dataset oneHot = WithLabels(2, 0, 1).ToOneHot(4);
        Assert.Equal(4, oneHot.TargetSize);
        Assert.Equal(3, oneHot.Count);
        Assert.Equal([0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0], oneHot.Targets.ToArray());
        Assert.Equal(WithLabels(2, 0, 1).Features.ToArray(), oneHot.Features.ToArray());
    }

    [Fact]
    public void ToOneHot_rejects_a_label_outside_the_classes_naming_the_sample()
    {
        var error = Assert.Throws<ArgumentException>(() => WithLabels(0, 1, 3).ToOneHot(3));
        Assert.Contains("Sample 2 has label 3", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new Dataset(new float[2], 1, [-1, 0], 1).ToOneHot(3));
    }

    [Fact]
    public void Batches_cover_the_samples_in_order_with_a_smaller_last_batch()
    {
        Dataset data = Numbered(7);
        DatasetBatch[] batches = data.Batches(3).ToArray();
        Assert.Equal([3, 3, 1], batches.Select(b => b.Count));
        Assert.Equal(data.Features.ToArray(), batches.SelectMany(b => b.Features.ToArray()));
        Assert.Equal(data.Targets.ToArray(), batches.SelectMany(b => b.Targets.ToArray()));
        Assert.All(batches, b => Assert.Equal(b.Count * 2, b.Features.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Batches(0));
    }

    private static Dictionary<float, int> ClassCounts(Dataset data) =>
        data.Targets.ToArray().GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
}
