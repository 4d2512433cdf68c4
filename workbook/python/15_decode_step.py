"""Exercise 15 · a decode step with a KV cache
Lesson: lessons/13-kv-cache.md ("What a new token needs", "Two tokens of prompt, then two decode steps")

A model that writes text adds one token at a time. Its new token t brings one query,
one key and one value row; the keys and values of the earlier tokens are kept in the
cache. Append the new key and value FIRST (a token attends to itself too), then attend
with the one query over the whole cache.

    K = np.vstack([keys, key])    V = np.vstack([values, value])    (one row longer)
    z = softmax(K @ query / sqrt(d_k)) @ V                          (d_k = len(query))

Shapes: `query` and `key` have d_k numbers, `value` d_v; `keys` is t x d_k and
`values` t x d_v (t >= 0 cached tokens: at the first step of an empty cache they have
shapes (0, d_k) and (0, d_v)). Returns a tuple (K, V, z): the grown cache, (t+1) x d_k
and (t+1) x d_v, and z, d_v numbers.
You may call your functions from exercises 1-6 (some are imported below).

Example: decode_step(np.array([1., 0.]), np.array([1., 0.]), np.array([2., 4.]),
np.array([[1., 0.]]), np.array([[0., 0.]])) -> ([[1., 0.], [1., 0.]], [[0., 0.], [2., 4.]],
[1., 2.]) -- both scores are equal.
"""
import numpy as np

from exercises import scores, softmax_rows, context_vector


def decode_step(query, key, value, keys, values):
    raise NotImplementedError("exercise 15: decode_step")
