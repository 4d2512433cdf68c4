/// The documented pseudo-random generator behind `{seed: S}` matrices.
///
/// Algorithm: SplitMix64 (Steele, Lea & Flood, 2014) on a 64-bit state that starts at
/// the seed. Each value takes the next 64-bit output `x` and maps its top 53 bits to a
/// uniform Double in [0, 1): `u = Double(x >> 11) * 2⁻⁵³`, then `low + (high − low) · u`.
/// Only integer arithmetic, one exact conversion and one multiply-add are involved, so the
/// same seed gives bit-identical matrices on every machine. Matrices are filled row by row.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}

/// How a seeded matrix is drawn: uniform on [low, high), optionally rounded to `decimals`
/// places (half away from zero) so that lessons get hand-friendly numbers.
public struct SeededDistribution: Hashable, Sendable {
    public var seed: UInt64
    public var low: Double
    public var high: Double
    public var decimals: Int?

    public init(seed: UInt64, low: Double, high: Double, decimals: Int? = nil) {
        self.seed = seed
        self.low = low
        self.high = high
        self.decimals = decimals
    }

    public func matrix(rows: Int, columns: Int) -> Matrix {
        var generator = SplitMix64(seed: seed)
        let power = decimals.map { (0..<$0).reduce(1.0) { acc, _ in acc * 10 } }
        let width = high - low
        return .uninitialized(rows, columns) { out in
            for index in 0..<(rows * columns) {
                var value = low + width * generator.nextUnit()
                if let power {
                    value = (value * power).rounded(.toNearestOrAwayFromZero) / power
                    if value == 0 { value = 0 }  // no negative zero
                }
                out[index] = value
            }
        }
    }
}
