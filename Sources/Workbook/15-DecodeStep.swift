import Foundation

/// Exercise 15 · a decode step with a KV cache
/// Lesson: lessons/13-kv-cache.md ("What a new token needs", "Two tokens of prompt, then two decode steps")
///
/// A model that writes text adds one token at a time. Its new token t brings one query,
/// one key and one value row; the keys and values of the earlier tokens are kept in the
/// cache. Append the new key and value FIRST (a token attends to itself too), then attend
/// with the one query over the whole cache.
///
///     K = keys + [key]    V = values + [value]          (the cache, one row longer)
///     z = softmax(q·Kᵀ / √d_k) · V                      (d_k = query.count)
///
/// Shapes: `query` and `key` have d_k numbers, `value` d_v; `keys` is t × d_k and
/// `values` t × d_v (t ≥ 0 cached tokens: both are empty at the first step of an empty
/// cache). Returns the grown cache, (t+1) × d_k and (t+1) × d_v, and z, d_v numbers.
/// You may call your functions from exercises 1–6.
///
/// Example: decodeStep(query: [1, 0], key: [1, 0], value: [2, 4], keys: [[1, 0]], values: [[0, 0]])
/// == (keys: [[1, 0], [1, 0]], values: [[0, 0], [2, 4]], z: [1, 2]) — both scores are equal.
public func decodeStep(query: [Double], key: [Double], value: [Double], keys: [[Double]], values: [[Double]]) -> (keys: [[Double]], values: [[Double]], z: [Double]) {
    notStarted()
}
