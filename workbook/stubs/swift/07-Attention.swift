import Foundation

/// Exercise 7 · full single-head self-attention
/// Lesson: lessons/05-where-to-look.md ("The whole layer in one line")
///
/// The whole layer: project, score, scale, softmax each row, and take the weighted sums
/// of the values.
///
///     Q = X·W_Q    K = X·W_K    V = X·W_V
///     Z = softmax(Q·Kᵀ / √d_k) · V          (the softmax of each row, stable)
///
/// Shapes: `X` is n × d_model; `W_Q` and `W_K` are d_model × d_k; `W_V` is d_model × d_v.
/// Returns Z, n × d_v: one context vector per token. d_k is the number of columns of W_Q.
/// Call your functions from exercises 2–6.
public func attention(_ X: [[Double]], W_Q: [[Double]], W_K: [[Double]], W_V: [[Double]]) -> [[Double]] {
    notStarted()
}
