using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Reads the arguments of the layer kinds that have more than Dense's (Conv2D, the poolings, BatchNormalization) into
/// their <see cref="LayerArguments"/> record. Like the parser, it copies what was written and judges nothing; the
/// attribute's shape has been checked (<see cref="AttributeShape"/>), so every value has its declared type.
/// </summary>
internal static class LayerArgumentReader
{
    /// <summary>The kind's arguments, or null for a kind that has none of its own (or a malformed attribute).</summary>
    public static LayerArguments? Read(LayerKind kind, AttributeData attribute, bool malformed)
    {
        if (malformed)
        {
            return null;
        }

        ImmutableArray<TypedConstant> args = attribute.ConstructorArguments;
        switch (kind)
        {
            case LayerKind.Conv2D:
                return new Conv2DArguments(ToInt(args[0]), ReadWindow(attribute, args[1], "kernelSize", strideDefaultsToSize: false));
            case LayerKind.MaxPooling2D or LayerKind.AveragePooling2D:
                return new PoolingArguments(ReadWindow(attribute, args[0], "poolSize", strideDefaultsToSize: true));
            case LayerKind.BatchNormalization:
                double momentum = 0.99, epsilon = 0.001;
                foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
                {
                    if (named.Key == "Momentum")
                    {
                        momentum = ToDouble(named.Value);
                    }
                    else if (named.Key == "Epsilon")
                    {
                        epsilon = ToDouble(named.Value);
                    }
                }

                return new BatchNormalizationArguments(momentum, epsilon);
            default:
                return null;
        }
    }

    private static WindowArguments ReadWindow(AttributeData attribute, TypedConstant size, string sizeArgument, bool strideDefaultsToSize)
    {
        int[] sizes = size.Kind == TypedConstantKind.Array
            ? ReadInts(size)
            : [ToInt(size)];
        int? strides = null, strideHeight = null, strideWidth = null;
        var padding = PaddingKind.Valid;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            switch (named.Key)
            {
                case "Strides":
                    strides = ToInt(named.Value);
                    break;
                case "StrideHeight":
                    strideHeight = ToInt(named.Value);
                    break;
                case "StrideWidth":
                    strideWidth = ToInt(named.Value);
                    break;
                case "Padding":
                    padding = (PaddingKind)ToInt(named.Value);
                    break;
            }
        }

        return new WindowArguments(sizes.ToEquatableArray(), sizeArgument, strides, strideHeight, strideWidth, padding, strideDefaultsToSize,
            SizeIsArray: size.Kind == TypedConstantKind.Array);
    }

    private static int[] ReadInts(TypedConstant constant)
    {
        if (constant.Values.IsDefault)
        {
            return []; // a null array: no size at all, which the validator reports as not a pair
        }

        var values = new int[constant.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ToInt(constant.Values[i]);
        }

        return values;
    }

    private static int ToInt(TypedConstant constant) => constant.Value is int value ? value : 0;

    private static double ToDouble(TypedConstant constant) => constant.Value is double value ? value : 0;
}
