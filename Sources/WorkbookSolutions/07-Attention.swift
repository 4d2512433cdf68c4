// Exercise 7 · single-head self-attention (lesson 05).
// Z = softmax(Q·Kᵀ / √d_k)·V with Q = X·W_Q, K = X·W_K, V = X·W_V.
public func attention(_ X: [[Double]], W_Q: [[Double]], W_K: [[Double]], W_V: [[Double]]) -> [[Double]] {
    let Q = project(X, W_Q), K = project(X, W_K), V = project(X, W_V)   // (n × d_k), (n × d_k), (n × d_v)
    let dK = W_Q.first?.count ?? 0
    let alpha = softmaxRows(scaled(scoreMatrix(queries: Q, keys: K), dK: dK))  // (n × n)
    return alpha.map { weights in contextVector(weights: weights, values: V) } // (n × d_v)
}
