"""Exercise 1 · dot-product scores for one query
Lesson: lessons/02-attention-without-weights.md ("Three steps")

Compare one query with every key: the score of key j is the dot product of the two
vectors, the sum of the products of their components.

    omega_j = q . k_j = q[0]*k_j[0] + q[1]*k_j[1] + ... + q[d-1]*k_j[d-1]

Shapes: `query` has d numbers; `keys` is m x d (one row per key).
Returns m scores, one per key, in the order of `keys`.

Example: scores(np.array([1., 2.]), np.array([[3., 4.], [0., 1.]])) -> [11., 2.]
"""
import numpy as np


def scores(query, keys):
    raise NotImplementedError("exercise 1: scores")
