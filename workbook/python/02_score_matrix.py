"""Exercise 2 · the score matrix ω = Q·Kᵀ
Lesson: lessons/02-attention-without-weights.md ("Three steps", the matrix form)

All the scores at once: row i holds the scores of query i against every key, so
omega[i, j] is the dot product of row i of Q with row j of K.

    omega = Q @ K.T        omega[i, j] = Q[i] . K[j]

Shapes: `queries` is n x d, `keys` is m x d. Returns n x m: one row per query, one column
per key. (In self-attention n = m; in cross-attention they differ.)
You may call your `scores` from exercise 1:  from exercises import scores

Example: score_matrix(np.array([[1., 0.], [0., 1.]]), np.array([[1., 2.], [3., 4.], [5., 6.]]))
         -> [[1., 3., 5.], [2., 4., 6.]]
"""
import numpy as np


def score_matrix(queries, keys):
    raise NotImplementedError("exercise 2: score_matrix")
