namespace NetGen;

/// <summary>Activation functions a <see cref="DenseAttribute"/> layer can apply.</summary>
public enum Activation
{
    /// <summary>The identity: <c>f(x) = x</c>.</summary>
    Linear = 0,

    /// <summary><c>f(x) = 1 / (1 + e^-x)</c>.</summary>
    Sigmoid = 1,

    /// <summary><c>f(x) = tanh(x)</c>.</summary>
    Tanh = 2,

    /// <summary><c>f(x) = max(x, 0)</c>.</summary>
    ReLU = 3,

    /// <summary><c>f(x) = x</c> for x &gt; 0, else <c>alpha · x</c> (see <see cref="DenseAttribute.Alpha"/>).</summary>
    LeakyReLU = 4,

    /// <summary>Per sample: <c>f(x)_i = e^x_i / Σ_j e^x_j</c>.</summary>
    Softmax = 5,
}
