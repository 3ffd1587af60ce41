using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>The checks of the output layer against the loss: it needs the layer's kind, units and activation, not the shapes before it.</summary>
internal static class LossChecks
{
    public static void Check(NetworkDeclaration model, string[] names, bool orderKnown, List<Finding> findings)
    {
        LayerDeclaration? last = model.Layers.Count > 0 ? model.Layers[model.Layers.Count - 1] : null;
        if (orderKnown && model.SequentialAttributeIndex >= 0 && !model.SequentialMalformed && last is { Malformed: false })
        {
            string lastName = names[names.Length - 1];
            if (LayerRegistry.Of(last.Kind).Head(last.Arguments) is not { } head)
            {
                findings.Add(Error(DiagnosticIds.OutputNotDense, last.AttributeIndex, null, lastName, LayerRegistry.Of(last.Kind).KerasName));
            }
            else if (head.Units > 0)
            {
                CheckLoss(model, last, head, lastName, findings);
            }
        }
    }

    private static void CheckLoss(NetworkDeclaration model, LayerDeclaration layer, OutputHead output, string outputName, List<Finding> findings)
    {
        int at = model.SequentialAttributeIndex;
        string? arg = model.LossDeclared ? "Loss" : null;
        switch (model.Loss)
        {
            case LossKind.SparseCategoricalCrossEntropy when output.Units == 1:
                findings.Add(Error(DiagnosticIds.SparseWithSingleUnit, at, arg, outputName));
                break;
            case LossKind.CategoricalCrossEntropy when output.Units == 1:
                findings.Add(Error(DiagnosticIds.CategoricalWithSingleUnit, at, arg, outputName));
                break;
            // A softmax over one unit is exp(z) / exp(z) = 1 whatever the input: a constant output learns nothing.
            // (The categorical losses over one unit have their own errors above.)
            case LossKind.BinaryCrossEntropy or LossKind.MeanSquaredError or LossKind.MeanAbsoluteError
                when output.Activation == ActivationKind.Softmax && output.Units == 1:
                findings.Add(Error(DiagnosticIds.SingleUnitSoftmax, layer.AttributeIndex, "activation", outputName));
                break;
            case LossKind.BinaryCrossEntropy when output.Activation == ActivationKind.Softmax && output.Units > 1:
                findings.Add(Error(DiagnosticIds.BinaryOverSoftmax, at, arg, Num(output.Units)));
                break;
            case LossKind.MeanSquaredError or LossKind.MeanAbsoluteError when output.Activation == ActivationKind.Softmax:
                findings.Add(Error(DiagnosticIds.SoftmaxWithRegressionLoss, at, arg, outputName, model.Loss.ToString()));
                break;

            // Cross-entropy needs probabilities: the softmax or sigmoid it is fused with (see BackwardEmitter.LossKernel),
            // or, for the categorical losses, sigmoid outputs, which it rescales to sum to 1 as Keras does. Over logits
            // (Keras's from_logits habit), ReLU or tanh outputs it trains at chance. An undefined activation is NG0111's alone.
            case LossKind.CategoricalCrossEntropy or LossKind.SparseCategoricalCrossEntropy
                when output.Activation is ActivationKind.Linear or (>= ActivationKind.Tanh and <= ActivationKind.LeakyReLU):
                findings.Add(Error(DiagnosticIds.CategoricalWithoutSoftmax, layer.AttributeIndex, "activation", model.Loss.ToString(), outputName, output.Activation.ToString()));
                break;
            case LossKind.BinaryCrossEntropy when output.Activation is ActivationKind.Linear or (>= ActivationKind.Tanh and <= ActivationKind.LeakyReLU):
                findings.Add(Error(DiagnosticIds.BinaryWithoutSigmoid, layer.AttributeIndex, "activation", outputName, output.Activation.ToString()));
                break;
        }
    }


    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Finding Error(string id, int attributeIndex, string? argument, params string[] args) => new(id, attributeIndex, argument, 0, new EquatableArray<string>(args));
}
