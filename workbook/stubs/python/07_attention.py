"""Exercise 7 · full single-head self-attention
Lesson: lessons/05-where-to-look.md ("The whole layer in one line")

The whole layer: project, score, scale, softmax each row, and take the weighted sums
of the values.

    Q = X @ W_Q    K = X @ W_K    V = X @ W_V
    Z = softmax(Q @ K.T / sqrt(d_k)) @ V          (the softmax of each row, stable)

Shapes: `X` is n x d_model; `W_Q` and `W_K` are d_model x d_k; `W_V` is d_model x d_v.
Returns Z, n x d_v: one context vector per token. d_k is the number of columns of W_Q.
Call your functions from exercises 2-6 (imported below).

Example: with X = I (2 x 2), W_Q = W_K = 0 and W_V = [[1, 0], [0, 3]], every score is 0,
each token weighs both equally, and Z = [[0.5, 1.5], [0.5, 1.5]].
"""
import numpy as np

from exercises import project, score_matrix, scaled, softmax_rows, context_vector


def attention(X, W_Q, W_K, W_V):
    raise NotImplementedError("exercise 7: attention")
