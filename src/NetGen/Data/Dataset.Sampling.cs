using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Data;

// Choosing samples: shuffles, splits and slices. Each returns new datasets holding copies of the chosen rows.
public sealed partial class Dataset
{
    /// <summary>
    /// A copy with the samples in a random order drawn from <paramref name="seed"/> (Fisher–Yates over <see cref="Rng"/>):
    /// the same seed gives the same order on every platform. This dataset is left as it was.
    /// </summary>
    public Dataset Shuffle(int seed)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        new Rng(seed).Shuffle(order);
        return Subset(order);
    }

    /// <summary>
    /// Splits the samples in two at random, deterministically for a given <paramref name="seed"/>: a share of
    /// <paramref name="validationFraction"/> (rounded to the nearest whole sample) goes to <c>Validation</c>, the rest
    /// to <c>Train</c>. Use it for a train/test split too. Both parts come out in a seeded random order, as
    /// scikit-learn's <c>train_test_split</c> returns them: data files are often sorted (by class, by region), and
    /// <c>Fit</c>'s <c>validationSplit</c> takes the last samples, which must then be a random sample too.
    /// </summary>
    /// <param name="validationFraction">The share of samples for the second part, strictly between 0 and 1.</param>
    /// <param name="seed">Seeds the choice of samples.</param>
    /// <param name="stratify">
    /// Keep each class's share the same in both parts: targets must be one integer class label per sample
    /// (<see cref="TargetSize"/> 1). Each class sends round(count × fraction) of its samples to <c>Validation</c>, adjusted
    /// by at most one per class (largest remainders first, then smaller labels) so the total matches the unstratified split.
    /// </param>
    /// <exception cref="ArgumentException">Either part would be empty, or <paramref name="stratify"/> is set and the targets are not class labels.</exception>
    public (Dataset Train, Dataset Validation) Split(double validationFraction, int seed, bool stratify = false)
    {
        (int[] train, int[] validation) = SplitIndices(validationFraction, seed, stratify);
        return (Subset(train), Subset(validation));
    }

    /// <summary>
    /// The sample indices <see cref="Split"/> puts in each part, in the order it returns them: <c>Split(f, s, t)</c> is
    /// <c>(Subset(Train), Subset(Validation))</c> of <c>SplitIndices(f, s, t)</c>. Use it to record a split (to replay it
    /// elsewhere, for example in scikit-learn or PyTorch) or to split other arrays that run parallel to this dataset.
    /// </summary>
    /// <param name="validationFraction">The share of samples for the second part, strictly between 0 and 1.</param>
    /// <param name="seed">Seeds the choice of samples.</param>
    /// <param name="stratify">Keep each class's share the same in both parts, as <see cref="Split"/> does.</param>
    /// <exception cref="ArgumentException">Either part would be empty, or <paramref name="stratify"/> is set and the targets are not class labels.</exception>
    public (int[] Train, int[] Validation) SplitIndices(double validationFraction, int seed, bool stratify = false)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be strictly between 0 and 1.");
        }

        int held = (int)Math.Round(Count * validationFraction, MidpointRounding.AwayFromZero);
        if (held == 0 || held == Count)
        {
            throw new ArgumentException(
                $"A validation fraction of {validationFraction} of {Count} samples puts {held} in the validation part and {Count - held} in the training part: both need at least one.",
                nameof(validationFraction));
        }

        var rng = new Rng(seed);
        bool[] inValidation = new bool[Count];
        if (stratify)
        {
            ChooseStratified(ClassLabels("A stratified split"), validationFraction, held, rng, inValidation);
        }
        else
        {
            int[] order = Enumerable.Range(0, Count).ToArray();
            rng.Shuffle(order);
            foreach (int i in order.AsSpan(0, held))
            {
                inValidation[i] = true;
            }
        }

        held = inValidation.Count(chosen => chosen); // the stratified apportionment sums to `held`; count rather than trust it
        int[] train = new int[Count - held], validation = new int[held];
        for (int i = 0, t = 0, v = 0; i < Count; i++)
        {
            if (inValidation[i])
            {
                validation[v++] = i;
            }
            else
            {
                train[t++] = i;
            }
        }

        rng.Shuffle(train);
        rng.Shuffle(validation);
        return (train, validation);
    }

    /// <summary>A copy of the first <paramref name="count"/> samples, or of all of them if there are fewer.</summary>
    public Dataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Slice(0, Math.Min(count, Count));
    }

    /// <summary>A copy of the <paramref name="count"/> samples starting at sample <paramref name="start"/>.</summary>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start > Count - count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Samples [{start}, {(long)start + count}) are not within the {Count} samples.");
        }

        return new Dataset(
            _features.AsSpan(start * FeatureSize, count * FeatureSize).ToArray(), FeatureSize,
            _targets.AsSpan(start * TargetSize, count * TargetSize).ToArray(), TargetSize);
    }

    /// <summary>A copy of the samples at <paramref name="indices"/>, in that order (an index may repeat).</summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        // Checked: a few million indices of a wide dataset pass int's range, which must not wrap into a short array.
        var features = new float[checked(indices.Length * FeatureSize)];
        var targets = new float[checked(indices.Length * TargetSize)];
        for (int r = 0; r < indices.Length; r++)
        {
            int i = indices[r];
            if ((uint)i >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} (position {r}) is not a sample: the dataset has {Count}.");
            }

            FeaturesOf(i).CopyTo(features.AsSpan(r * FeatureSize, FeatureSize));
            TargetsOf(i).CopyTo(targets.AsSpan(r * TargetSize, TargetSize));
        }

        return new Dataset(features, FeatureSize, targets, TargetSize);
    }

    private static void ChooseStratified(int[] labels, double fraction, int held, Rng rng, bool[] inValidation)
    {
        // Classes in ascending label order, so the draw does not depend on which label comes first in the data.
        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!byClass.TryGetValue(labels[i], out List<int>? members))
            {
                byClass[labels[i]] = members = [];
            }

            members.Add(i);
        }

        // Largest-remainder apportionment: floor of each class's exact share, then one more for the classes with the
        // largest remainders until the total is `held` (at most one each, never more than the class has).
        List<int>[] classes = [.. byClass.Values];
        int[] quota = new int[classes.Length];
        double[] remainder = new double[classes.Length];
        int assigned = 0;
        for (int c = 0; c < classes.Length; c++)
        {
            double exact = classes[c].Count * fraction;
            quota[c] = (int)Math.Floor(exact);
            remainder[c] = Math.Round(exact - quota[c], 9); // so shares equal but for rounding noise tie, and ties go to the smaller label
            assigned += quota[c];
        }

        int[] byRemainder = Enumerable.Range(0, classes.Length).OrderByDescending(c => remainder[c]).ThenBy(c => c).ToArray();
        for (int k = 0; assigned < held && k < byRemainder.Length; k++)
        {
            int c = byRemainder[k];
            if (quota[c] < classes[c].Count)
            {
                quota[c]++;
                assigned++;
            }
        }

        for (int c = 0; c < classes.Length; c++)
        {
            int[] members = [.. classes[c]];
            rng.Shuffle(members);
            foreach (int i in members.AsSpan(0, quota[c]))
            {
                inValidation[i] = true;
            }
        }
    }
}
