// Each type below makes one mistake; the comment names the diagnostic and docs/diagnostics.md explains the fix.
// Not shown: NG0014, a project whose <LangVersion> is older than C# 10, the oldest the generated code compiles as.
using NetGen;

namespace Samples.Mistakes;

// NG0001: the model class must be partial.
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(1, Activation.Sigmoid)]
public class NotPartial;

// NG0002: a containing type must be partial too.
public class Outer
{
    [Sequential(inputShape: [2])]
    [Dense(1)]
    public partial class Nested;
}

// NG0003: a model cannot be generic.
[Sequential(inputShape: [2])]
[Dense(1)]
public partial class Generic<T>;

// NG0004: a model needs layers.
[Sequential(inputShape: [2])]
public partial class NoLayers;

// NG0005: the input shape is missing.
[Sequential(Loss = Loss.MeanSquaredError)]
[Dense(1)]
public partial class NoInputShape;

// NG0006: two layers share a name.
[Sequential(inputShape: [4])]
[Dense(8, Activation.ReLU, Name = "hidden")]
[Dense(8, Activation.ReLU, Name = "hidden")]
[Dense(1)]
public partial class DuplicateNames;

// NG0007: a model derives from NetGen.Network, not from another class.
[Sequential(inputShape: [2])]
[Dense(1)]
public partial class WithBase : System.Collections.ArrayList;

// NG0008: layer attributes without [Sequential].
[Dense(8)]
[Dense(1)]
public partial class NoSequential;

// NG0009: a model cannot be static.
[Sequential(inputShape: [2])]
[Dense(1)]
public static partial class StaticModel;

// NG0010: a layer name must be a simple identifier.
[Sequential(inputShape: [2])]
[Dense(4, Name = "hidden layer")]
[Dense(1)]
public partial class BadName;

// NG0011: a model is a class, not a record.
[Sequential(inputShape: [2])]
[Dense(1)]
public partial record RecordModel;

// NG0012: a model cannot be file-local.
[Sequential(inputShape: [2])]
[Dense(1)]
file partial class FileLocal;

// NG0013: the class name clashes with a generated member.
[Sequential(inputShape: [2])]
[Dense(1)]
public partial class Summary;

// NG0015: NetGen generates the constructor, so a model cannot have a primary constructor.
[Sequential(inputShape: [2])]
[Dense(1)]
public partial class WithPrimaryConstructor();

// NG0016: a member of the model class takes the name of a generated one.
[Sequential(inputShape: [2])]
[Dense(1)]
public partial class OwnInputSize
{
    public const int InputSize = 2;
}

// NG0017: layers on a second partial declaration (in another file, their order would follow the compiler's).
[Sequential(inputShape: [4], Loss = Loss.BinaryCrossEntropy)]
[Dense(8, Activation.ReLU)]
public partial class SplitLayers;

// NG0017
[Dense(1, Activation.Sigmoid)]
public partial class SplitLayers;

// NG0018: a constructor of one's own must call the generated one, with ': this(seed)'.
[Sequential(inputShape: [2])]
[Dense(1)]
public partial class OwnConstructor
{
    public OwnConstructor(string label)
    {
        Label = label;
    }

    public string Label { get; }
}

// NG0101: a Dense layer needs at least one unit.
[Sequential(inputShape: [4])]
[Dense(0, Activation.ReLU)]
[Dense(1)]
public partial class ZeroUnits;

// NG0102: the dropout rate must be in [0, 1).
[Sequential(inputShape: [4])]
[Dense(8, Activation.ReLU)]
[Dropout(1.0)]
[Dense(1)]
public partial class DropEverything;

// NG0103: LeakyReLU's slope cannot be negative.
[Sequential(inputShape: [4])]
[Dense(8, Activation.LeakyReLU, Alpha = -0.1)]
[Dense(1)]
public partial class NegativeSlope;

// NG0112: LeakyReLU's slope must be a finite number.
[Sequential(inputShape: [4])]
[Dense(8, Activation.LeakyReLU, Alpha = double.PositiveInfinity)]
[Dense(1)]
public partial class InfiniteSlope;

// NG0104: every input dimension must be at least 1.
[Sequential(inputShape: [28, 0])]
[Flatten]
[Dense(1)]
public partial class ZeroDimension;

// NG0105: far too many parameters.
[Sequential(inputShape: [1_000_000])]
[Dense(1000, Activation.ReLU)]
[Dense(1)]
public partial class Huge;

// NG0106: a Dense layer after a 28x28 input needs [Flatten] first.
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(100, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class MissingFlatten;

// NG0107: 'output' expects 64 inputs but 'hidden' produces 100.
[Sequential(inputShape: [784], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(100, Activation.ReLU, Name = "hidden")]
[Dense(10, Activation.Softmax, Name = "output", InputSize = 64)]
public partial class WrongInputSize;

// NG0108 (warning): Alpha only applies to LeakyReLU.
[Sequential(inputShape: [4])]
[Dense(8, Activation.ReLU, Alpha = 0.1)]
[Dense(1)]
public partial class UselessAlpha;

// NG0109: Normalization standardizes the raw inputs, so it goes before every Dense layer.
[Sequential(inputShape: [13])]
[Dense(64, Activation.ReLU, Name = "hidden")]
[Normalization]
[Dense(1)]
public partial class LateNormalization;

// NG0110: one Normalization layer is enough.
[Sequential(inputShape: [13])]
[Normalization]
[Normalization(Name = "again")]
[Dense(1)]
public partial class TwoNormalizations;

// NG0111: a cast can make any number an Activation, but only the named ones exist.
[Sequential(inputShape: [4])]
[Dense(8, (Activation)9)]
[Dense(1)]
public partial class MadeUpActivation;

// NG0113: an L2 factor must be a finite number >= 0.
[Sequential(inputShape: [4])]
[Dense(8, Activation.ReLU, KernelL2 = -0.01)]
[Dense(1)]
public partial class NegativeL2;

// NG0120: a Conv2D layer needs at least one filter.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(0, 3, Activation.ReLU)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class NoFilters;

// NG0121: a window covers at least one row and one column.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU)]
[MaxPooling2D([2, 0])]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class EmptyPoolWindow;

// NG0122: a kernel size is one number or [height, width].
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, [3, 3, 3], Activation.ReLU)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class ThreeDimensionalKernel;

// NG0123: a stride is at least 1.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU, Strides = 0)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class ZeroStride;

// NG0124: with valid padding a window must fit its input: 28 → 26 → 13 → 11 → 5 → 3 → 1, then a 3×3 kernel.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Conv2D(64, 3, Activation.ReLU)]
[MaxPooling2D(2)]
[Conv2D(64, 3, Activation.ReLU)]
[MaxPooling2D(2, Name = "pool3")]
[Conv2D(128, 3, Name = "conv4")]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class TooDeep;

// NG0125: a convolution needs an image, not the vector a Flatten makes.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Flatten]
[Conv2D(32, 3, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class ConvAfterFlatten;

// NG0126: an image needs its channel dimension: [28, 28, 1] for grayscale.
[Sequential(inputShape: [28, 28], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class NoChannels;

// NG0127 (warning): a stride of 2 over 28 rows with a 3×3 kernel never reads the last row and column.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Activation.ReLU, Strides = 2)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class UnusedRows;

// NG0128: a momentum of 1 never moves the moving statistics.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3)]
[BatchNormalization(Momentum = 1)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class FrozenStatistics;

// NG0129: epsilon keeps 1/√(variance + epsilon) finite, so it must be > 0.
[Sequential(inputShape: [8], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(16, Activation.ReLU)]
[BatchNormalization(Epsilon = 0)]
[Dense(10, Activation.Softmax)]
public partial class ZeroEpsilon;

// NG0130: padding is Padding.Valid or Padding.Same.
[Sequential(inputShape: [28, 28, 1], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Padding = (Padding)2)]
[Flatten]
[Dense(10, Activation.Softmax)]
public partial class MadeUpPadding;

// NG0131: 1024×1024×32 values per sample in one layer is over the limit.
[Sequential(inputShape: [1024, 1024, 3], Loss = Loss.SparseCategoricalCrossEntropy)]
[Conv2D(32, 3, Padding = Padding.Same)]
[GlobalAveragePooling2D]
[Dense(10, Activation.Softmax)]
public partial class HugeActivations;

// NG0201: sparse categorical cross-entropy needs one output per class.
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(1, Activation.Sigmoid)]
public partial class SparseSingleUnit;

// NG0202: binary cross-entropy over a softmax of several units.
[Sequential(inputShape: [4], Loss = Loss.BinaryCrossEntropy)]
[Dense(3, Activation.Softmax)]
public partial class BinaryOverSoftmax;

// NG0203 (warning): a softmax output trained with mean squared error.
[Sequential(inputShape: [4], Loss = Loss.MeanSquaredError)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxRegression;

// NG0204: categorical cross-entropy over a single output.
[Sequential(inputShape: [4], Loss = Loss.CategoricalCrossEntropy)]
[Dense(1, Activation.Sigmoid)]
public partial class CategoricalSingleUnit;

// NG0205: the last layer must be Dense.
[Sequential(inputShape: [4])]
[Dense(1)]
[Dropout(0.5)]
public partial class EndsWithDropout;

// NG0206: likewise for a loss.
[Sequential(inputShape: [4], Loss = (Loss)7)]
[Dense(1)]
public partial class MadeUpLoss;

// NG0207: a softmax over one unit always outputs 1.
[Sequential(inputShape: [4], Loss = Loss.BinaryCrossEntropy)]
[Dense(1, Activation.Softmax)]
public partial class OneUnitSoftmax;

// NG0208: cross-entropy over logits (Keras's from_logits habit): the output needs Activation.Softmax.
[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(8, Activation.ReLU)]
[Dense(3)]
public partial class Logits;

// NG0209: binary cross-entropy needs a sigmoid output.
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(1)]
public partial class LinearXor;

// A valid model, used wrongly below.
[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(2, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class Xor;

public static class Usage
{
    public static void Run(Xor model)
    {
        // NG0301: Xor.Predict expects 2 input values.
        model.Predict([1f, 0f, 1f]);

        // NG0302: Xor.Predict writes 1 output value.
        model.Predict([1f, 0f], new float[2]);

        // NG0303: Xor.Fit expects rows of 2 features.
        model.Fit(new float[4, 3], new float[4], verbose: 0);
    }
}
