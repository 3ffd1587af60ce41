namespace NetGen.Generator.Model;

// Mirrors of the runtime's enums (NetGen.Activation, NetGen.Loss): the generator cannot reference the runtime
// assembly, so it reads the attribute arguments as their underlying int values. The values must match.

internal enum ActivationKind
{
    Linear = 0,
    Sigmoid = 1,
    Tanh = 2,
    ReLU = 3,
    LeakyReLU = 4,
    Softmax = 5,
}

internal enum LossKind
{
    MeanSquaredError = 0,
    MeanAbsoluteError = 1,
    BinaryCrossEntropy = 2,
    CategoricalCrossEntropy = 3,
    SparseCategoricalCrossEntropy = 4,
}

internal enum LayerKind
{
    Dense,
    Dropout,
    Flatten,
    Normalization,
    Activation,
    Conv2D,
    MaxPooling2D,
    AveragePooling2D,
    GlobalAveragePooling2D,
    BatchNormalization,
}
