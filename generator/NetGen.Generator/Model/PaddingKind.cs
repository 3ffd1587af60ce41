namespace NetGen.Generator.Model;

/// <summary>Mirror of the runtime's <c>NetGen.Padding</c>, read from attribute arguments as its int value; the values must match.</summary>
internal enum PaddingKind
{
    Valid = 0,
    Same = 1,
}
