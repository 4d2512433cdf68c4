"""Exercise 6 · one context vector z = Σ_j α_j v_j
Lesson: lessons/02-attention-without-weights.md ("Three steps", the context step);
lessons/05-where-to-look.md ("What to take: V")

The weighted sum of the value vectors: each value row v_j, multiplied by its weight
alpha_j, all added up.

    z[c] = sum_j alpha_j * v_j[c]

Shapes: `weights` has m numbers (one row of alpha, summing to 1); `values` is m x d_v,
one row per key token. Returns d_v numbers.

Example: context_vector(np.array([0.25, 0.75]), np.array([[4., 0.], [0., 8.]])) -> [1., 6.]
"""
import numpy as np


def context_vector(weights, values):
    raise NotImplementedError("exercise 6: context_vector")
