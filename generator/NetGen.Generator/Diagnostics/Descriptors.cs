using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>The one catalog of NetGen's diagnostics. Each id has a section in docs/diagnostics.md with a wrong and a fixed example.</summary>
internal static class Descriptors
{
    private const string Declaration = "NetGen.Declaration";
    private const string Layer = "NetGen.Layer";
    private const string Output = "NetGen.Output";
    private const string Usage = "NetGen.Usage";
    private const string Weights = "NetGen.Weights";
    private const string HelpBase = "https://github.com/netgen-dotnet/netgen/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        DiagnosticIds.NotPartial, Declaration, "Model class must be partial",
        "Model class '{0}' must be declared 'partial' so NetGen can generate its network code");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        DiagnosticIds.ContainingTypeNotPartial, Declaration, "Containing type must be partial",
        "Model class '{0}' is nested in '{1}', which must also be declared 'partial'");

    public static readonly DiagnosticDescriptor GenericModel = Error(
        DiagnosticIds.GenericModel, Declaration, "Model class cannot be generic",
        "Model class '{0}' cannot be generic: its shapes are fixed at build time");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        DiagnosticIds.NoLayers, Declaration, "Model has no layers",
        "Model '{0}' has no layers: add at least one [Dense] layer after [Sequential]");

    public static readonly DiagnosticDescriptor MissingInputShape = Error(
        DiagnosticIds.MissingInputShape, Declaration, "Missing input shape",
        "Model '{0}' declares no input shape: write e.g. [Sequential(inputShape: [784])]");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error(
        DiagnosticIds.DuplicateLayerName, Declaration, "Duplicate layer name",
        "Layer name '{0}' of layer {2} clashes with '{3}' of layer {1}: layer names, and the C# member names made from them, must be unique within a model");

    public static readonly DiagnosticDescriptor HasBaseClass = Error(
        DiagnosticIds.HasBaseClass, Declaration, "Model class cannot have a base class",
        "Model class '{0}' derives from '{1}', but a NetGen model derives from NetGen.Network: remove the base class");

    public static readonly DiagnosticDescriptor LayerWithoutSequential = Error(
        DiagnosticIds.LayerWithoutSequential, Declaration, "Layer attribute without [Sequential]",
        "'{0}' has layer attributes but no [Sequential] attribute, so no network is generated: add [Sequential(inputShape: [...])]");

    public static readonly DiagnosticDescriptor StaticModel = Error(
        DiagnosticIds.StaticModel, Declaration, "Model class cannot be static",
        "Model class '{0}' cannot be static: a model is an object holding its parameters");

    public static readonly DiagnosticDescriptor InvalidLayerName = Error(
        DiagnosticIds.InvalidLayerName, Declaration, "Invalid layer name",
        "Layer name '{0}' is not valid: {1}");

    public static readonly DiagnosticDescriptor RecordModel = Error(
        DiagnosticIds.RecordModel, Declaration, "Model must be a class, not a record",
        "Model '{0}' is a record: declare it as a 'partial class', since a model is mutable state and record equality over it would be meaningless");

    public static readonly DiagnosticDescriptor FileLocalModel = Error(
        DiagnosticIds.FileLocalModel, Declaration, "Model class cannot be file-local",
        "Model class '{0}' {1}, but its generated part lives in another file: use 'internal' instead");

    public static readonly DiagnosticDescriptor ClassNameClash = Error(
        DiagnosticIds.ClassNameClash, Declaration, "Model class name clashes with a generated member",
        "Model class '{0}' would contain a generated member of the same name: rename the class (generated members: InputSize, OutputSize, ParameterCount, Summary, a Kernel/Bias view per Dense layer, a Mean/Variance/Count view per Normalization layer, and private buffers named after the layers)");

    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Error(
        DiagnosticIds.LanguageVersionTooOld, Declaration, "C# version too old for the generated code",
        "Model class '{0}' is compiled as C# {1}, but NetGen's generated code needs C# {2} or later: raise <LangVersion> in the project, or remove it to use the SDK's default");

    public static readonly DiagnosticDescriptor PrimaryConstructor = Error(
        DiagnosticIds.PrimaryConstructor, Declaration, "Model class cannot have a primary constructor",
        "Model class '{0}' has a primary constructor, but NetGen generates the model's constructor, which must call NetGen.Network's: remove the parameter list, and write a constructor that calls this(seed) if you need parameters");

    public static readonly DiagnosticDescriptor MemberClash = Error(
        DiagnosticIds.MemberClash, Declaration, "Member clashes with a generated member",
        "Model class '{0}' declares '{1}', which NetGen generates for the model too: rename it, or for a method or constructor, change its parameters");

    public static readonly DiagnosticDescriptor LayersInSeveralParts = Error(
        DiagnosticIds.LayersInSeveralParts, Declaration, "Layer attributes on more than one partial declaration",
        "Layer '{0}' is declared on another partial declaration of '{1}' than its first layers: the layer order across declarations is undefined (it follows the order the compiler reads the files), so put every layer attribute on the declaration with [Sequential]");

    public static readonly DiagnosticDescriptor ConstructorNotChained = Error(
        DiagnosticIds.ConstructorNotChained, Declaration, "Constructor must call the generated constructor",
        "Constructor '{0}' of model '{1}' does not call the generated constructor {1}(long? seed = null), which sets up the layers and draws the initial weights: add ': this(seed)' after its parameter list (': this(seed: null)' for random weights) and keep the rest in its body");

    public static readonly DiagnosticDescriptor NonPositiveUnits = Error(
        DiagnosticIds.NonPositiveUnits, Layer, "Units must be positive",
        "Layer '{0}' has {1} units: a Dense layer needs at least 1");

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Error(
        DiagnosticIds.DropoutRateOutOfRange, Layer, "Dropout rate out of range",
        "Layer '{0}' has dropout rate {1}: the rate must be in [0, 1)");

    public static readonly DiagnosticDescriptor NegativeAlpha = Error(
        DiagnosticIds.NegativeAlpha, Layer, "Negative LeakyReLU alpha",
        "Layer '{0}' has LeakyReLU alpha {1}: the negative slope must be >= 0");

    public static readonly DiagnosticDescriptor NonPositiveInputDimension = Error(
        DiagnosticIds.NonPositiveInputDimension, Layer, "Input dimension must be positive",
        "Input shape [{0}] of model '{1}' has {3} as dimension #{2}: every dimension must be at least 1");

    public static readonly DiagnosticDescriptor TooManyParameters = Error(
        DiagnosticIds.TooManyParameters, Layer, "Too many parameters",
        "Layer '{0}' brings the parameter count to {1}, over NetGen's limit of {2}: use fewer units or fewer input features");

    public static readonly DiagnosticDescriptor NeedsFlatten = Error(
        DiagnosticIds.NeedsFlatten, Layer, "Layer needs a 1-D input",
        "Layer '{0}' needs a 1-D input but receives shape [{1}]: insert [Flatten] before it");

    public static readonly DiagnosticDescriptor InputSizeMismatch = Error(
        DiagnosticIds.InputSizeMismatch, Layer, "Declared input size disagrees",
        "'{0}' expects {1} inputs but {2} produces {3}");

    public static readonly DiagnosticDescriptor AlphaWithoutLeakyRelu = Warning(
        DiagnosticIds.AlphaWithoutLeakyRelu, Layer, "Alpha has no effect",
        "Layer '{0}' sets Alpha but its activation is {1}: Alpha only applies to LeakyReLU");

    public static readonly DiagnosticDescriptor NormalizationAfterDense = Error(
        DiagnosticIds.NormalizationAfterDense, Layer, "Normalization must come before the layers with weights",
        "Normalization layer '{0}' comes after '{1}', a layer with trainable weights: it standardizes the raw input features that Adapt measures, so put it before the first Dense, Conv2D or BatchNormalization layer");

    public static readonly DiagnosticDescriptor DuplicateNormalization = Error(
        DiagnosticIds.DuplicateNormalization, Layer, "More than one Normalization layer",
        "Normalization layer '{0}' repeats '{1}': standardizing already standardized inputs does nothing, so keep one");

    public static readonly DiagnosticDescriptor UnknownActivation = Error(
        DiagnosticIds.UnknownActivation, Layer, "Unknown activation",
        "Layer '{0}' has activation {1}, which is not a NetGen.Activation value: use Linear, Sigmoid, Tanh, ReLU, LeakyReLU or Softmax");

    public static readonly DiagnosticDescriptor NonFiniteAlpha = Error(
        DiagnosticIds.NonFiniteAlpha, Layer, "LeakyReLU alpha must be finite",
        "Layer '{0}' has LeakyReLU alpha {1}: the negative slope must be a finite number, such as the default 0.2");

    public static readonly DiagnosticDescriptor InvalidKernelL2 = Error(
        DiagnosticIds.InvalidKernelL2, Layer, "Invalid L2 regularization factor",
        "Layer '{0}' has KernelL2 {1}: the L2 factor must be a finite number >= 0 (0 for none; Keras's regularizers.l2 uses 0.01)");

    public static readonly DiagnosticDescriptor NonPositiveFilters = Error(
        DiagnosticIds.NonPositiveFilters, Layer, "Filters must be positive",
        "Conv2D '{0}' has {1} filters: a Conv2D layer needs at least 1 (its output has one channel per filter)");

    public static readonly DiagnosticDescriptor NonPositiveWindow = Error(
        DiagnosticIds.NonPositiveWindow, Layer, "Window size must be positive",
        "{0} '{1}' has a {2} of {3}: each side must be at least 1");

    public static readonly DiagnosticDescriptor WindowNotPair = Error(
        DiagnosticIds.WindowNotPair, Layer, "Window size must be one number or a pair",
        "{0} '{1}' has {2} [{3}]: give one number for a square window, or two, [height, width]");

    public static readonly DiagnosticDescriptor NonPositiveStride = Error(
        DiagnosticIds.NonPositiveStride, Layer, "Stride must be positive",
        "{0} '{1}' has {2} = {3}: a window moves by at least 1 at each step");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error(
        DiagnosticIds.WindowLargerThanInput, Layer, "Window larger than its input",
        "{0} '{1}' has a {2} {3} but {4} produces {5}: with valid padding the window must fit inside its input, and {6}, so the output would be empty; use a smaller {3}, Padding.Same, or less downsampling before it");

    public static readonly DiagnosticDescriptor NeedsImageInput = Error(
        DiagnosticIds.NeedsImageInput, Layer, "Layer needs a height × width × channels input",
        "{0} '{1}' needs a height × width × channels input but receives shape [{2}]{3}");

    public static readonly DiagnosticDescriptor MissingChannelDimension = Error(
        DiagnosticIds.MissingChannelDimension, Layer, "Input shape has no channel dimension",
        "Input shape [{0}] of model '{1}' has no channel dimension, but {2} '{3}' needs height × width × channels: write [{4}] for one channel (grayscale), as Keras does");

    public static readonly DiagnosticDescriptor UnusedInputRows = Warning(
        DiagnosticIds.UnusedInputRows, Layer, "Stride leaves input rows or columns unused",
        "{0} '{1}' slides a {2} window with strides {3} and valid padding over {4} from {5}: {6}, so no window reads the last {7}; use Padding.Same, or sizes where (input − window) is a multiple of the stride");

    public static readonly DiagnosticDescriptor MomentumOutOfRange = Error(
        DiagnosticIds.MomentumOutOfRange, Layer, "BatchNormalization momentum out of range",
        "BatchNormalization '{0}' has momentum {1}: the moving statistics keep this fraction at each step (moving·momentum + batch·(1 − momentum)), so it must be in [0, 1); Keras's default is 0.99");

    public static readonly DiagnosticDescriptor InvalidEpsilon = Error(
        DiagnosticIds.InvalidEpsilon, Layer, "BatchNormalization epsilon must be positive",
        "BatchNormalization '{0}' has epsilon {1}: it keeps 1/√(variance + epsilon) finite for a constant feature, so it must be a finite number > 0 as a float; Keras's default is 0.001");

    public static readonly DiagnosticDescriptor UnknownPadding = Error(
        DiagnosticIds.UnknownPadding, Layer, "Unknown padding",
        "{0} '{1}' has padding {2}, which is not a NetGen.Padding value: use Padding.Valid or Padding.Same");

    public static readonly DiagnosticDescriptor TooManyActivations = Error(
        DiagnosticIds.TooManyActivations, Layer, "Too many activations per sample",
        "{0} '{1}' outputs {2} = {3} values per sample, over NetGen's limit of {4} per layer ({5} MiB per sample; a training batch of 32 would hold {6} GiB in this layer alone): use fewer filters, more downsampling before it, or a smaller input");

    public static readonly DiagnosticDescriptor SparseWithSingleUnit = Error(
        DiagnosticIds.SparseWithSingleUnit, Output, "Sparse categorical cross-entropy needs several outputs",
        "SparseCategoricalCrossEntropy needs one output unit per class, but output layer '{0}' has 1 unit: use BinaryCrossEntropy with a sigmoid, or more units");

    public static readonly DiagnosticDescriptor BinaryOverSoftmax = Error(
        DiagnosticIds.BinaryOverSoftmax, Output, "Binary cross-entropy over a softmax",
        "BinaryCrossEntropy over a softmax of {0} units treats coupled class probabilities as independent: use CategoricalCrossEntropy (or Sigmoid for multi-label)");

    public static readonly DiagnosticDescriptor SoftmaxWithRegressionLoss = Warning(
        DiagnosticIds.SoftmaxWithRegressionLoss, Output, "Softmax output with a regression loss",
        "Output layer '{0}' is a softmax but the loss is {1}: for classification use CategoricalCrossEntropy or SparseCategoricalCrossEntropy");

    public static readonly DiagnosticDescriptor CategoricalWithSingleUnit = Error(
        DiagnosticIds.CategoricalWithSingleUnit, Output, "Categorical cross-entropy needs several outputs",
        "CategoricalCrossEntropy over output layer '{0}' of 1 unit is always 0: use BinaryCrossEntropy with a sigmoid, or one unit per class");

    public static readonly DiagnosticDescriptor OutputNotDense = Error(
        DiagnosticIds.OutputNotDense, Output, "Output layer must be Dense",
        "The last layer '{0}' is a {1} layer: a model must end with a [Dense] layer that produces its output");

    public static readonly DiagnosticDescriptor UnknownLoss = Error(
        DiagnosticIds.UnknownLoss, Output, "Unknown loss",
        "Loss {0} is not a NetGen.Loss value: use MeanSquaredError, MeanAbsoluteError, BinaryCrossEntropy, CategoricalCrossEntropy or SparseCategoricalCrossEntropy");

    public static readonly DiagnosticDescriptor SingleUnitSoftmax = Error(
        DiagnosticIds.SingleUnitSoftmax, Output, "Softmax over a single output unit",
        "Output layer '{0}' is a softmax over 1 unit, which always outputs 1, so nothing can be learned: use Sigmoid for one probability, or one unit per class with a categorical loss");

    public static readonly DiagnosticDescriptor CategoricalWithoutSoftmax = Error(
        DiagnosticIds.CategoricalWithoutSoftmax, Output, "Categorical cross-entropy needs a softmax output",
        "{0} needs class probabilities, but output layer '{1}' has activation {2}, which gives none: set Activation.Softmax on it (NetGen fuses the softmax into the loss, like Keras's from_logits=True)");

    public static readonly DiagnosticDescriptor BinaryWithoutSigmoid = Error(
        DiagnosticIds.BinaryWithoutSigmoid, Output, "Binary cross-entropy needs a sigmoid output",
        "BinaryCrossEntropy needs probabilities in (0, 1), but output layer '{0}' has activation {1}: set Activation.Sigmoid on it (NetGen fuses the sigmoid into the loss, like Keras's from_logits=True)");

    public static readonly DiagnosticDescriptor InputLengthMismatch = Error(
        DiagnosticIds.InputLengthMismatch, Usage, "Input of the wrong length",
        "{0} expects {1} input values ({2}), but this argument has {3}");

    public static readonly DiagnosticDescriptor OutputLengthMismatch = Error(
        DiagnosticIds.OutputLengthMismatch, Usage, "Output buffer of the wrong length",
        "{0} writes {1} output values, but this buffer has {2}");

    public static readonly DiagnosticDescriptor FeatureCountMismatch = Error(
        DiagnosticIds.FeatureCountMismatch, Usage, "Rows of the wrong width",
        "{0} expects rows of {1} {2}, but this array's rows have {3}");

    public static readonly DiagnosticDescriptor WeightsFileNotFound = Error(
        DiagnosticIds.WeightsFileNotFound, Weights, "Weights file not in the project",
        "Weights file '{0}' of '{1}' cannot be found: {2}");

    public static readonly DiagnosticDescriptor WeightsFileNotSafetensors = Error(
        DiagnosticIds.WeightsFileNotSafetensors, Weights, "Weights file is not safetensors",
        "Weights file '{0}' of '{1}' is not a valid safetensors file: {2}");

    public static readonly DiagnosticDescriptor WeightsTensorMismatch = Error(
        DiagnosticIds.WeightsTensorMismatch, Weights, "Weights file does not match the model",
        "Weights file '{0}' does not match '{1}': {2}");

    public static readonly DiagnosticDescriptor WeightsLayoutMismatch = Error(
        DiagnosticIds.WeightsLayoutMismatch, Weights, "Weights file is in another layout",
        "Weights file '{0}' of '{1}' is in another layout: {2}");

    public static readonly DiagnosticDescriptor WeightsNotFinite = Error(
        DiagnosticIds.WeightsNotFinite, Weights, "Weights file holds a NaN or infinity",
        "Weights file '{0}' of '{1}' cannot be compiled in: {2}");

    /// <summary>The weights descriptors by id, for the generator, which reports them (it alone reads the file).</summary>
    public static DiagnosticDescriptor ForWeights(string id) => id switch
    {
        DiagnosticIds.WeightsFileNotFound => WeightsFileNotFound,
        DiagnosticIds.WeightsFileNotSafetensors => WeightsFileNotSafetensors,
        DiagnosticIds.WeightsTensorMismatch => WeightsTensorMismatch,
        DiagnosticIds.WeightsLayoutMismatch => WeightsLayoutMismatch,
        _ => WeightsNotFinite,
    };

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
