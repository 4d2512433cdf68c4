"""Exercise 14 · the query and key gradients dQ, dK
Lesson: lessons/12-how-attention-learns.md ("One gradient step, traced": Scaling and dot products)

A score is a dot product divided by sqrt(d_k), omega_scaled[i, j] = q_i . k_j / sqrt(d_k),
so its gradient reaches query i through the key it met and key j through the query it
met, divided by sqrt(d_k) as the score was:

    dQ = d_scores @ K / sqrt(d_k)        dQ[i, c] = sum_j d_scores[i, j] * K[j, c] / sqrt(d_k)
    dK = d_scores.T @ Q / sqrt(d_k)      dK[j, c] = sum_i d_scores[i, j] * Q[i, c] / sqrt(d_k)

Shapes: `d_scores` is d_omega_scaled, n x m (one row per query token, one column per key
token); `queries` is Q, n x d_k; `keys` is K, m x d_k; `d_k` is an int. Returns the tuple
(dQ, dK): the query gradient, n x d_k, first, then the key gradient, m x d_k.

Example: query_key_gradients(np.array([[2., -2.]]), np.array([[1., 0., 0., 1.]]),
                             np.array([[1., 1., 0., 0.], [0., 1., 1., 0.]]), 4)
         -> ([[1., 0., -1., 0.]], [[1., 0., 0., 1.], [-1., 0., 0., -1.]])
"""
import numpy as np

from exercises import project, scaled


def query_key_gradients(d_scores, queries, keys, d_k):
    raise NotImplementedError("exercise 14: query_key_gradients")
