import Foundation

/// Exercise 13 · the value gradient dV = αᵀ·dZ
/// Lesson: lessons/12-how-attention-learns.md ("One gradient step, traced": Values)
///
/// Z = α·V mixes the value rows with each query's weights, so each value row is blamed in
/// proportion to the weight it got: row j of dV adds up every query's row of dZ, times
/// the weight that query gave key j. That is the product with α TRANSPOSED:
///
///     dV = αᵀ·dZ        dV[j][c] = Σ_i α[i][j] · dZ[i][c]
///
/// Shapes: `weights` is α, n × m (one row per query token, one column per key token);
/// `dZ` is n × d_v. Returns dV with V's shape, m × d_v: one row per KEY token. (In
/// cross-attention n and m differ.)
///
/// Example: valueGradient(weights: [[0.25, 0.75]], dZ: [[4, 8]]) == [[1, 2], [3, 6]]
public func valueGradient(weights: [[Double]], dZ: [[Double]]) -> [[Double]] {
    notStarted()
}
