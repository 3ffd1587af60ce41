namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Stable diagnostic ids. Never renumber or reuse one: users suppress them by id.
/// NG00xx declaration, NG01xx layer parameters and shapes, NG02xx loss versus output,
/// NG03xx usage of a generated model in the user's own code.
/// </summary>
internal static class DiagnosticIds
{
    public const string NotPartial = "NG0001";
    public const string ContainingTypeNotPartial = "NG0002";
    public const string GenericModel = "NG0003";
    public const string NoLayers = "NG0004";
    public const string MissingInputShape = "NG0005";
    public const string DuplicateLayerName = "NG0006";
    public const string HasBaseClass = "NG0007";
    public const string LayerWithoutSequential = "NG0008";
    public const string StaticModel = "NG0009";
    public const string InvalidLayerName = "NG0010";
    public const string RecordModel = "NG0011";
    public const string FileLocalModel = "NG0012";
    public const string ClassNameClash = "NG0013";
    public const string LanguageVersionTooOld = "NG0014";
    public const string PrimaryConstructor = "NG0015";
    public const string MemberClash = "NG0016";
    public const string LayersInSeveralParts = "NG0017";
    public const string ConstructorNotChained = "NG0018";

    public const string NonPositiveUnits = "NG0101";
    public const string DropoutRateOutOfRange = "NG0102";
    public const string NegativeAlpha = "NG0103";
    public const string NonPositiveInputDimension = "NG0104";
    public const string TooManyParameters = "NG0105";
    public const string NeedsFlatten = "NG0106";
    public const string InputSizeMismatch = "NG0107";
    public const string AlphaWithoutLeakyRelu = "NG0108";
    public const string NormalizationAfterDense = "NG0109";
    public const string DuplicateNormalization = "NG0110";
    public const string UnknownActivation = "NG0111";
    public const string NonFiniteAlpha = "NG0112";
    public const string InvalidKernelL2 = "NG0113";

    // Convolution, pooling and batch normalization (issue 14).
    public const string NonPositiveFilters = "NG0120";
    public const string NonPositiveWindow = "NG0121";
    public const string WindowNotPair = "NG0122";
    public const string NonPositiveStride = "NG0123";
    public const string WindowLargerThanInput = "NG0124";
    public const string NeedsImageInput = "NG0125";
    public const string MissingChannelDimension = "NG0126";
    public const string UnusedInputRows = "NG0127";
    public const string MomentumOutOfRange = "NG0128";
    public const string InvalidEpsilon = "NG0129";
    public const string UnknownPadding = "NG0130";
    public const string TooManyActivations = "NG0131";

    public const string SparseWithSingleUnit = "NG0201";
    public const string BinaryOverSoftmax = "NG0202";
    public const string SoftmaxWithRegressionLoss = "NG0203";
    public const string CategoricalWithSingleUnit = "NG0204";
    public const string OutputNotDense = "NG0205";
    public const string UnknownLoss = "NG0206";
    public const string SingleUnitSoftmax = "NG0207";
    public const string CategoricalWithoutSoftmax = "NG0208";
    public const string BinaryWithoutSigmoid = "NG0209";

    public const string InputLengthMismatch = "NG0301";
    public const string OutputLengthMismatch = "NG0302";
    public const string FeatureCountMismatch = "NG0303";

    // The weights file a model compiles in ([Sequential(..., Weights = "…")]), checked at build time as LoadWeights checks it at run time.
    public const string WeightsFileNotFound = "NG0304";
    public const string WeightsFileNotSafetensors = "NG0305";
    public const string WeightsTensorMismatch = "NG0306";
    public const string WeightsLayoutMismatch = "NG0307";
    public const string WeightsNotFinite = "NG0308";
}
