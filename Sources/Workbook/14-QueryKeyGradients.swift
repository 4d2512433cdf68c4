import Foundation

/// Exercise 14 · the query and key gradients dQ, dK
/// Lesson: lessons/12-how-attention-learns.md ("One gradient step, traced": Scaling and dot products)
///
/// A score is a dot product divided by √d_k, ω_scaled[i][j] = q_i·k_j / √d_k, so its
/// gradient reaches query i through the key it met and key j through the query it met,
/// divided by √d_k as the score was:
///
///     dQ = dω_scaled · K / √d_k        dQ[i][c] = Σ_j dω_scaled[i][j] · K[j][c] / √d_k
///     dK = dω_scaledᵀ · Q / √d_k       dK[j][c] = Σ_i dω_scaled[i][j] · Q[i][c] / √d_k
///
/// Shapes: `dScores` is dω_scaled, n × m (one row per query token, one column per key
/// token); `queries` is Q, n × d_k; `keys` is K, m × d_k; the argument `dK` is the number
/// d_k (as in exercise 4). Returns the pair (dQ, dK): the query gradient, n × d_k, first,
/// then the key gradient, m × d_k.
///
/// Example: queryKeyGradients(dScores: [[2, -2]], queries: [[1, 0, 0, 1]],
///                            keys: [[1, 1, 0, 0], [0, 1, 1, 0]], dK: 4)
///          == (dQ: [[1, 0, -1, 0]], dK: [[1, 0, 0, 1], [-1, 0, 0, -1]])
public func queryKeyGradients(dScores: [[Double]], queries: [[Double]], keys: [[Double]], dK: Int) -> (dQ: [[Double]], dK: [[Double]]) {
    notStarted()
}
