"""Exercise 4 · scaling the scores by √d_k
Lesson: lessons/04-why-scale.md ("How big is a dot product?")

Divide every score by the square root of d_k, the width of the query and key vectors,
so that the scores stay in a range where the softmax still has a gradient.

    omega_scaled[i, j] = omega[i, j] / sqrt(d_k)

Shapes: `scores` is n x m; `d_k` is an int. Returns n x m.

Example: scaled(np.array([[8., -4.]]), 4) -> [[4., -2.]]
"""
import numpy as np


def scaled(scores, d_k):
    raise NotImplementedError("exercise 4: scaled")
