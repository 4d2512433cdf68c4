import Foundation

/// Exercise 11 · cross-attention
/// Lesson: lessons/09-cross-attention.md ("Two sequences")
///
/// The target tokens ask, the source tokens answer: queries come from the target X,
/// keys and values from the source X_src. Then attention proceeds exactly as before.
///
///     Q = X·W_Q    K = X_src·W_K    V = X_src·W_V
///     Z = softmax(Q·Kᵀ / √d_k) · V
///
/// Shapes: `X` is n × d_model (target), `source` is m × d_model; `W_Q`, `W_K` are
/// d_model × d_k, `W_V` is d_model × d_v. The scores are n × m (one row per target token,
/// one column per source token); returns Z, n × d_v.
public func crossAttention(_ X: [[Double]], source: [[Double]], W_Q: [[Double]], W_K: [[Double]], W_V: [[Double]]) -> [[Double]] {
    notStarted()
}
