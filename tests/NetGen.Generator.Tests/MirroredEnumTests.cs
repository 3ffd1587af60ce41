using System;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator cannot reference the runtime, so it keeps mirrors of the runtime's enums and reads attribute arguments
/// as their int values: a member added, renamed or renumbered on one side only would make the generator read another
/// activation, loss or layer kind than the user wrote. Each mirror must equal its runtime enum, name for name and
/// value for value.
/// </summary>
public class MirroredEnumTests
{
    [Theory]
    [InlineData(typeof(ActivationKind), typeof(global::NetGen.Activation))]
    [InlineData(typeof(LossKind), typeof(global::NetGen.Loss))]
    [InlineData(typeof(LayerKind), typeof(global::NetGen.LayerKind))]
    [InlineData(typeof(PaddingKind), typeof(global::NetGen.Padding))]
    public void The_generators_mirror_has_the_runtimes_names_and_values(Type mirror, Type runtime)
    {
        static (string Name, long Value)[] Members(Type type) =>
            Enum.GetValues(type).Cast<object>().Select(v => (Enum.GetName(type, v)!, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)))
                .OrderBy(m => m.Item2).ThenBy(m => m.Item1, StringComparer.Ordinal).ToArray();

        Assert.Equal(Members(runtime), Members(mirror));
    }
}
