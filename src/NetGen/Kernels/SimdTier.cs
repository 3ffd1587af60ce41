namespace NetGen.Kernels;

/// <summary>
/// The widest vector width NetGen's own kernels may use. Ordered from narrowest to widest, so a tier can be compared
/// with another; <see cref="Auto"/> means "the best the hardware accelerates".
/// </summary>
public enum SimdTier
{
    /// <summary>The widest vectors the hardware accelerates (the default).</summary>
    Auto = 0,

    /// <summary>No vectors: plain scalar loops.</summary>
    Scalar = 1,

    /// <summary>Vectors of up to 128 bits (4 floats): SSE on x64, AdvSimd on Arm64.</summary>
    Vector128 = 2,

    /// <summary>Vectors of up to 256 bits (8 floats): AVX2.</summary>
    Vector256 = 3,

    /// <summary>Vectors of up to 512 bits (16 floats): AVX-512.</summary>
    Vector512 = 4,
}
