"""Exercise 5 · a numerically stable softmax of each row
Lesson: lessons/05-where-to-look.md ("The stable softmax"); the softmax itself is in
lessons/02-attention-without-weights.md

Turn each row of scores into weights that are positive and add up to 1. Work on each
ROW separately (row i is where query i looks), and subtract the row's largest score
before exp: it changes nothing mathematically, but exp(800) overflows a float.

    m_i = max_j s[i, j]
    alpha[i, j] = exp(s[i, j] - m_i) / sum_k exp(s[i, k] - m_i)

Shapes: `scores` is n x m. Returns n x m, every row summing to 1.
A score of -inf (a masked key, exercise 8) must get weight exactly 0: exp(-inf) = 0, so
this happens by itself. Every row has at least one finite score.

Example: softmax_rows(np.array([[0., 0.], [1000., 1000.]])) -> [[0.5, 0.5], [0.5, 0.5]]
"""
import numpy as np


def softmax_rows(scores):
    raise NotImplementedError("exercise 5: softmax_rows")
