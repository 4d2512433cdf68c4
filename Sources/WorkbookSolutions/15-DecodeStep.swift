import Foundation

// Exercise 15 · a decode step with a KV cache (lesson 13).
// Append k, v; then z = softmax(q·Kᵀ/√d_k)·V over the cache.   (d_k), (t × d_k) → (t+1 × d_k), (d_v)
public func decodeStep(query: [Double], key: [Double], value: [Double], keys: [[Double]], values: [[Double]]) -> (keys: [[Double]], values: [[Double]], z: [Double]) {
    let (K, V) = (keys + [key], values + [value])
    let root = Double(query.count).squareRoot()
    let weights = softmaxRows([scores(query: query, keys: K).map { $0 / root }])[0]
    return (K, V, contextVector(weights: weights, values: V))
}
