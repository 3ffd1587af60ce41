using System;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Tests;

/// <summary>
/// The registry is the one list of layer kinds: every kind the generator mirrors from the runtime has exactly one
/// descriptor, at its own index, and every layer attribute the runtime declares is read by one.
/// </summary>
public sealed class LayerRegistryTests
{
    [Fact]
    public void Every_layer_kind_has_its_descriptor_at_its_index()
    {
        Model.LayerKind[] kinds = Enum.GetValues<Model.LayerKind>();
        Assert.Equal(kinds.Length, LayerRegistry.All.Length);
        foreach (Model.LayerKind kind in kinds)
        {
            Assert.Equal(kind, LayerRegistry.Of(kind).Kind);
        }
    }

    [Fact]
    public void Every_runtime_layer_attribute_is_read_by_a_descriptor()
    {
        string[] attributes = [.. typeof(global::NetGen.SequentialAttribute).Assembly.GetTypes()
            .Where(t => t.Namespace == "NetGen" && t.IsPublic && typeof(Attribute).IsAssignableFrom(t) && t != typeof(global::NetGen.SequentialAttribute))
            .Select(t => t.Name).Order(StringComparer.Ordinal)];
        string[] described = [.. LayerRegistry.All.Select(d => d.AttributeName).Order(StringComparer.Ordinal)];
        Assert.Equal(attributes, described);
    }

    [Fact]
    public void Every_descriptor_names_its_layers_as_keras_does()
    {
        foreach (LayerDescriptor descriptor in LayerRegistry.All)
        {
            // Keras's class name is the runtime LayerKind's name, and the attribute is that plus "Attribute" (or "LayerAttribute").
            Assert.Equal(descriptor.Kind.ToString(), descriptor.KerasName);
            Assert.StartsWith(descriptor.KerasName, descriptor.AttributeName, StringComparison.Ordinal);
        }
    }
}
