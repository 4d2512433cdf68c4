"""Exercise 13 · the value gradient dV = αᵀ·dZ
Lesson: lessons/12-how-attention-learns.md ("One gradient step, traced": Values)

Z = alpha @ V mixes the value rows with each query's weights, so each value row is blamed
in proportion to the weight it got: row j of dV adds up every query's row of dZ, times
the weight that query gave key j. That is the product with alpha TRANSPOSED:

    dV = alpha.T @ dZ        dV[j, c] = sum_i alpha[i, j] * dZ[i, c]

Shapes: `weights` is alpha, n x m (one row per query token, one column per key token);
`dZ` is n x d_v. Returns dV with V's shape, m x d_v: one row per KEY token. (In
cross-attention n and m differ.)

Example: value_gradient(np.array([[0.25, 0.75]]), np.array([[4., 8.]])) -> [[1., 2.], [3., 6.]]
"""
import numpy as np

from exercises import project


def value_gradient(weights, dZ):
    raise NotImplementedError("exercise 13: value_gradient")
