using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// The few vector operations NetGen's kernels need, abstracted over the vector width so each loop shape and GEMM
/// micro-kernel is written once and instantiated per tier. Implementations are structs: the JIT specializes a generic
/// method for each one and inlines these calls, so the generic code compiles to the same instructions as hand-written
/// Vector512/256/128 or scalar code (<c>System.Runtime.Intrinsics.ISimdVector</c> would do this but is not public).
/// </summary>
/// <typeparam name="TVec">The register type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>,
/// <see cref="Vector128{T}"/> or <see cref="float"/> itself for the scalar tier.</typeparam>
internal interface IVectorOps<TVec>
    where TVec : struct
{
    /// <summary>Floats per register.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Broadcast(float value);

    /// <summary>Reads <see cref="Count"/> floats at <paramref name="source"/>[<paramref name="index"/>..] (unchecked).</summary>
    static abstract TVec Load(ref float source, nuint index);

    /// <summary>Writes <see cref="Count"/> floats at <paramref name="destination"/>[<paramref name="index"/>..] (unchecked).</summary>
    static abstract void Store(TVec value, ref float destination, nuint index);

    static abstract TVec Add(TVec x, TVec y);

    static abstract TVec Subtract(TVec x, TVec y);

    static abstract TVec Multiply(TVec x, TVec y);

    /// <summary>
    /// x·y + addend, fused (one rounding) wherever the hardware has FMA, which is every x64 CPU with AVX2 and every
    /// Arm64 CPU. Every tier makes the same choice (MultiplyAddEstimate avoids the slow software emulation that
    /// FusedMultiplyAdd falls back to elsewhere), so a GEMM gives bit-identical results on all tiers.
    /// </summary>
    static abstract TVec MultiplyAdd(TVec x, TVec y, TVec addend);

    /// <summary>Per lane: <paramref name="condition"/> &gt; 0 ? <paramref name="ifPositive"/> : <paramref name="otherwise"/> (NaN counts as not positive).</summary>
    static abstract TVec SelectWherePositive(TVec condition, TVec ifPositive, TVec otherwise);

    /// <summary>IEEE 754-2019 maximum, as TensorPrimitives.Max: NaN if either lane is NaN, and +0 above −0.</summary>
    static abstract TVec Max(TVec x, TVec y);

    /// <summary>IEEE 754-2019 minimum: NaN if either lane is NaN, and −0 below +0.</summary>
    static abstract TVec Min(TVec x, TVec y);

    /// <summary>x / y, correctly rounded in every tier.</summary>
    static abstract TVec Divide(TVec x, TVec y);

    /// <summary>√x, correctly rounded in every tier.</summary>
    static abstract TVec Sqrt(TVec x);

    static abstract TVec Abs(TVec x);

    /// <summary>Per lane: <paramref name="test"/> &lt; <paramref name="limit"/> ? +0 : <paramref name="value"/> (NaN is never below).</summary>
    static abstract TVec ZeroWhereBelow(TVec value, TVec test, TVec limit);

    /// <summary>Per lane: <paramref name="x"/> == <paramref name="y"/> ? <paramref name="value"/> : +0 (NaN equals nothing).</summary>
    static abstract TVec ZeroWhereNotEqual(TVec value, TVec x, TVec y);
}

/// <summary>AVX-512: 16 floats per register.</summary>
internal readonly struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> x, Vector512<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> x, Vector512<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> x, Vector512<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> x, Vector512<float> y, Vector512<float> addend) =>
        Vector512.MultiplyAddEstimate(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectWherePositive(Vector512<float> condition, Vector512<float> ifPositive, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(condition, Vector512<float>.Zero), ifPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> x, Vector512<float> y) => Vector512.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> x, Vector512<float> y) => Vector512.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> x, Vector512<float> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> x) => Vector512.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZeroWhereBelow(Vector512<float> value, Vector512<float> test, Vector512<float> limit) =>
        Vector512.ConditionalSelect(Vector512.LessThan(test, limit), Vector512<float>.Zero, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ZeroWhereNotEqual(Vector512<float> value, Vector512<float> x, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, y), value, Vector512<float>.Zero);

    /// <summary>
    /// A mask with lanes 0..count−1 on (all 16 for count ≥ 16, none for count ≤ 0): the lanes of a row's last, partial
    /// register for AVX-512's masked loads and stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
}

/// <summary>AVX2 (or Arm64 pairs): 8 floats per register.</summary>
internal readonly struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> x, Vector256<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> x, Vector256<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> x, Vector256<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> addend) =>
        Vector256.MultiplyAddEstimate(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectWherePositive(Vector256<float> condition, Vector256<float> ifPositive, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(condition, Vector256<float>.Zero), ifPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> x, Vector256<float> y) => Vector256.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> x, Vector256<float> y) => Vector256.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> x, Vector256<float> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> x) => Vector256.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZeroWhereBelow(Vector256<float> value, Vector256<float> test, Vector256<float> limit) =>
        Vector256.ConditionalSelect(Vector256.LessThan(test, limit), Vector256<float>.Zero, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ZeroWhereNotEqual(Vector256<float> value, Vector256<float> x, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, y), value, Vector256<float>.Zero);
}

/// <summary>SSE or AdvSimd: 4 floats per register.</summary>
internal readonly struct Vector128Ops : IVectorOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> x, Vector128<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> x, Vector128<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> x, Vector128<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> x, Vector128<float> y, Vector128<float> addend) =>
        Vector128.MultiplyAddEstimate(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectWherePositive(Vector128<float> condition, Vector128<float> ifPositive, Vector128<float> otherwise) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(condition, Vector128<float>.Zero), ifPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> x, Vector128<float> y) => Vector128.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> x, Vector128<float> y) => Vector128.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> x, Vector128<float> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> x) => Vector128.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZeroWhereBelow(Vector128<float> value, Vector128<float> test, Vector128<float> limit) =>
        Vector128.ConditionalSelect(Vector128.LessThan(test, limit), Vector128<float>.Zero, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ZeroWhereNotEqual(Vector128<float> value, Vector128<float> x, Vector128<float> y) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, y), value, Vector128<float>.Zero);
}

/// <summary>One float per "register": the scalar tier, and the last few elements of every vector tier.</summary>
internal readonly struct ScalarOps : IVectorOps<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float x, float y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float x, float y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float x, float y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float x, float y, float addend) => float.MultiplyAddEstimate(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SelectWherePositive(float condition, float ifPositive, float otherwise) =>
        condition > 0f ? ifPositive : otherwise;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float x, float y) => float.Max(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float x, float y) => float.Min(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float x, float y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sqrt(float x) => MathF.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Abs(float x) => MathF.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ZeroWhereBelow(float value, float test, float limit) => test < limit ? 0f : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ZeroWhereNotEqual(float value, float x, float y) => x == y ? value : 0f;
}
