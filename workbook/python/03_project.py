"""Exercise 3 · the projections Q = X·W_Q, K = X·W_K, V = X·W_V
Lesson: lessons/03-learnable-projections.md ("One matrix product per role")

One matrix product: row i of the result is row i of X (token i's embedding) times W,
so each token is projected by the same weights and nothing mixes between tokens.

    P = X @ W         P[i, c] = sum_r X[i, r] * W[r, c]

Shapes: `X` is n x d_model, `W` is d_model x d_out. Returns n x d_out.

Example: project(np.array([[1., 2.]]), np.array([[1., 0., 1.], [0., 1., 1.]])) -> [[1., 2., 3.]]
"""
import numpy as np


def project(X, W):
    raise NotImplementedError("exercise 3: project")
