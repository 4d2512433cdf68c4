"""Exercise 15 · a decode step with a KV cache (lesson 13).
Append k, v; then z = softmax(q.K^T / sqrt(d_k)).V over the cache.    (d_k), (t x d_k) -> (t+1 x d_k), (d_v)"""
import numpy as np

from exercises import scores, softmax_rows, context_vector


def decode_step(query, key, value, keys, values):
    K, V = np.vstack([keys, key]), np.vstack([values, value])      # append first: (t+1 x d_k), (t+1 x d_v)
    s = scores(query, K) / np.sqrt(len(query))                      # (t+1), scaled
    weights = softmax_rows(s[np.newaxis, :])[0]                     # one row of weights
    return K, V, context_vector(weights, V)                         # (d_v)
