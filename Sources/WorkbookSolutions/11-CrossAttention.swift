// Exercise 11 · cross-attention (lesson 09).
// Q from the target, K and V from the source: Z = softmax(Q·Kᵀ / √d_k)·V.
public func crossAttention(_ X: [[Double]], source: [[Double]], W_Q: [[Double]], W_K: [[Double]], W_V: [[Double]]) -> [[Double]] {
    let Q = project(X, W_Q)                                  // (n × d_k)
    let K = project(source, W_K), V = project(source, W_V)   // (m × d_k), (m × d_v)
    let dK = W_Q.first?.count ?? 0
    let alpha = softmaxRows(scaled(scoreMatrix(queries: Q, keys: K), dK: dK))  // (n × m)
    return alpha.map { weights in contextVector(weights: weights, values: V) } // (n × d_v)
}
