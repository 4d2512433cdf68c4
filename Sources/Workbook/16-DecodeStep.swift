import Foundation

/// Exercise 16 · a decode step with a KV cache
/// Lesson: lessons/13-kv-cache.md ("What a new token needs")
///
/// A model generating text adds one token at a time. Its key and value join the cache of
/// the earlier tokens' keys and values, and its one query row attends to the whole cache,
/// itself included:
///
///     keys ← keys + [key],  values ← values + [value]          (append one row each)
///     z = softmax(q·keysᵀ / √d_k) · values                      d_k = query.count
///
/// Shapes: `query` and `key` have d_k numbers, `value` d_v; `keys` is t × d_k and `values`
/// t × d_v (t = 0 for the first token: both empty). Returns the cache with t + 1 rows and
/// z, d_v numbers. Your `scores`, `softmaxRows` and `contextVector` (exercises 1, 5, 6) help.
///
/// Example: decodeStep(query: [0], key: [1], value: [4], keys: [[2]], values: [[2]])
///          == (keys: [[2], [1]], values: [[2], [4]], z: [3])
public func decodeStep(query: [Double], key: [Double], value: [Double], keys: [[Double]], values: [[Double]]) -> (keys: [[Double]], values: [[Double]], z: [Double]) {
    notStarted()
}
