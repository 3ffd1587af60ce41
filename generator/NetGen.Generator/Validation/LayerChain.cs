using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// The layers in order: whether the order is known at all, then each layer checked and its shape inferred by its own
/// descriptor (<see cref="Layers.LayerDescriptor.Validate"/>), with what the earlier layers left in <see cref="LayerValidation"/>.
/// </summary>
internal static class LayerChain
{
    /// <summary>
    /// The layers are one ordered list, which two partial declarations cannot give: the compiler merges their
    /// attributes in the order it reads the files. The declaration with [Sequential] owns the layers if it has any
    /// (else the first layer's does); a layer on any other declaration is refused, and no shape is inferred.
    /// </summary>
    public static bool OrderKnown(NetworkDeclaration model, string[] names, List<Finding> findings)
    {
        bool orderKnown = true;
        if (model.Layers.Count > 0)
        {
            int owner = model.Layers[0].Part;
            foreach (LayerDeclaration layer in model.Layers)
            {
                if (layer.Part == model.SequentialPart)
                {
                    owner = layer.Part;
                    break;
                }
            }

            for (int i = 0; i < model.Layers.Count; i++)
            {
                if (model.Layers[i].Part != owner)
                {
                    findings.Add(new Finding(DiagnosticIds.LayersInSeveralParts, model.Layers[i].AttributeIndex, null, 0, new EquatableArray<string>(new[] { names[i], model.ClassName })));
                    orderKnown = false;
                }
            }
        }

        return orderKnown;
    }

    /// <summary>Checks every layer in order; the result holds the accepted layers' specs and whether every shape was known.</summary>
    public static LayerValidation Walk(NetworkDeclaration model, string[] names, string[] identifiers, bool shapeKnown, bool orderKnown, List<Finding> findings)
    {
        var chain = new LayerValidation(findings, model.InputShape, shapeKnown, orderKnown) { Model = model };
        for (int i = 0; i < model.Layers.Count; i++)
        {
            LayerDeclaration layer = model.Layers[i];
            if (layer.Malformed)
            {
                chain.LoseShape();
                continue;
            }

            chain.Begin(layer, names[i], identifiers[i]);
            chain.Descriptor.Validate(chain);
            chain.End();
        }

        return chain;
    }
}
