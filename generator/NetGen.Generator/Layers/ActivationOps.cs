using System.Globalization;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Validation;
using static NetGen.Generator.Emit.Emitting;
using static NetGen.Generator.Emit.KnownTypes;

namespace NetGen.Generator.Layers;

/// <summary>
/// The activation functions as the layers that apply one (Dense's fused activation, the Activation layer) check and
/// emit them: the argument checks and the runtime kernel calls, forward and backward.
/// </summary>
internal static class ActivationOps
{
    /// <summary>Checks an activation and its LeakyReLU slope (NG0111, NG0112, NG0109, NG0110), on the arguments named <c>activation</c> and <c>Alpha</c>.</summary>
    public static void Check(LayerValidation layer, ActivationKind activation, double alpha, bool alphaDeclared)
    {
        string name = layer.Name;
        if (activation is < ActivationKind.Linear or > ActivationKind.Softmax)
        {
            layer.Report(DiagnosticIds.UnknownActivation, "activation", name, LayerValidation.Num((int)activation));
        }

        // The alpha runs as a float: 1e39 is +∞ there, and an infinite slope turns every negative input into ∓∞.
        if (activation == ActivationKind.LeakyReLU && (double.IsNaN(alpha) || double.IsInfinity(alpha) || float.IsInfinity((float)alpha)))
        {
            string shown = alpha.ToString("R", CultureInfo.InvariantCulture) + (double.IsInfinity(alpha) ? string.Empty : " (infinity as a float)");
            layer.Report(DiagnosticIds.NonFiniteAlpha, "Alpha", name, double.IsNaN(alpha) ? "NaN" : shown);
        }
        else if (activation == ActivationKind.LeakyReLU && alpha < 0)
        {
            layer.Report(DiagnosticIds.NegativeAlpha, "Alpha", name, alpha.ToString("R", CultureInfo.InvariantCulture));
        }
        else if (alphaDeclared && activation != ActivationKind.LeakyReLU)
        {
            layer.Report(DiagnosticIds.AlphaWithoutLeakyRelu, "Alpha", name, activation.ToString());
        }
    }

    /// <summary>The comment's math: <c>, a = relu(z)</c>, nothing for linear.</summary>
    public static string Comment(ActivationKind activation, double alpha) => activation switch
    {
        ActivationKind.Linear => "",
        ActivationKind.LeakyReLU => ", a = leaky_relu(z, " + Number(alpha) + ")",
        _ => ", a = " + KerasName(activation) + "(z)",
    };

    /// <summary>ReLU and leaky ReLU layers add their bias and apply the activation in one fused pass.</summary>
    public static bool FusesBias(ActivationKind activation) => activation is ActivationKind.ReLU or ActivationKind.LeakyReLU;

    /// <summary>For ReLU and leaky ReLU: adds the bias to the rows of <paramref name="z"/> and writes f(z + b) to <paramref name="a"/>.</summary>
    public static string AddBiasAndActivate(ActivationKind activation, double alpha, string z, string bias, string a, string rows = "batchSize") => activation == ActivationKind.ReLU
        ? BiasActivation + ".AddBiasRelu(" + z + ", " + bias + ", " + a + ", " + rows + ")"
        : BiasActivation + ".AddBiasLeakyRelu(" + z + ", " + bias + ", " + Float(alpha) + ", " + a + ", " + rows + ")";

    /// <summary>
    /// For ReLU and leaky ReLU: the in-place call turning da (in <c>gradient</c>) into dz from <paramref name="z"/>,
    /// which also writes the bias gradient <paramref name="biasGradient"/>.
    /// </summary>
    public static string DerivativeWithBiasGradient(ActivationKind activation, double alpha, string z, string biasGradient, string rows = "batchSize") => activation == ActivationKind.ReLU
        ? BiasActivation + ".ReluBackward(" + z + ", gradient, " + biasGradient + ", " + rows + ")"
        : BiasActivation + ".LeakyReluBackward(" + z + ", gradient, " + Float(alpha) + ", " + biasGradient + ", " + rows + ")";

    /// <summary>The activation a = f(z) of an activation without a bias to fuse (sigmoid, tanh, softmax).</summary>
    public static string Activate(ActivationKind activation, int width, string z, string a) => activation switch
    {
        ActivationKind.Sigmoid => Activations + ".Sigmoid(" + z + ", " + a + ")",
        ActivationKind.Tanh => Activations + ".Tanh(" + z + ", " + a + ")",
        _ => Activations + ".Softmax(" + z + ", " + a + ", " + Int(width) + ")",
    };

    /// <summary>
    /// For sigmoid, tanh and softmax: the in-place call turning da (in <paramref name="gradient"/>) into dz, reading
    /// the activation's output <paramref name="saved"/>.
    /// </summary>
    public static string Derivative(ActivationKind activation, int width, string saved, string gradient) => activation switch
    {
        ActivationKind.Sigmoid => Activations + ".SigmoidBackward(" + saved + ", " + gradient + ", " + gradient + ")",
        ActivationKind.Tanh => Activations + ".TanhBackward(" + saved + ", " + gradient + ", " + gradient + ")",
        _ => Activations + ".SoftmaxBackward(" + saved + ", " + gradient + ", " + gradient + ", " + Int(width) + ")",
    };
}
