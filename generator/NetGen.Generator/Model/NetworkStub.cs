using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// What is written for a model the validator refused: its public surface with bodies that throw, so the user's code
/// that uses it still compiles and the build shows only the NG errors (see <see cref="Emit.StubEmitter"/>).
/// <see cref="Errors"/> are the NG error ids, for the exception's message. <see cref="InputSize"/> and
/// <see cref="OutputSize"/> are what can be known of them, or 0. <see cref="Members"/> are the generated members that
/// can be written without clashing with the user's (the constants, the overrides, <c>.ctor</c>, the layers' views).
/// </summary>
internal sealed record NetworkStub(
    string Namespace,
    string ClassName,
    string FullName,
    EquatableArray<ContainingType> ContainingTypes,
    EquatableArray<string> Errors,
    int InputSize,
    int OutputSize,
    EquatableArray<string> Members);
