import Foundation

/// Exercise 3 · the projections Q = X·W_Q, K = X·W_K, V = X·W_V
/// Lesson: lessons/03-learnable-projections.md ("One matrix product per role")
///
/// One matrix product: row i of the result is row i of X (token i's embedding) times W,
/// so each token is projected by the same weights and nothing mixes between tokens.
///
///     P = X·W         P[i][c] = Σ_r X[i][r] · W[r][c]
///
/// Shapes: `X` is n × d_model, `W` is d_model × d_out. Returns n × d_out.
///
/// Example: project([[1, 2]], [[1, 0, 1], [0, 1, 1]]) == [[1, 2, 3]]
public func project(_ X: [[Double]], _ W: [[Double]]) -> [[Double]] {
    notStarted()
}
