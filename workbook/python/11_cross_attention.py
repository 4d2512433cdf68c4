"""Exercise 11 · cross-attention
Lesson: lessons/09-cross-attention.md ("Two sequences")

The target tokens ask, the source tokens answer: queries come from the target X,
keys and values from the source. Then attention proceeds exactly as before.

    Q = X @ W_Q    K = source @ W_K    V = source @ W_V
    Z = softmax(Q @ K.T / sqrt(d_k)) @ V

Shapes: `X` is n x d_model (target), `source` is m x d_model; `W_Q`, `W_K` are
d_model x d_k, `W_V` is d_model x d_v. The scores are n x m (one row per target token,
one column per source token); returns Z, n x d_v.

Example: with one target token and two source tokens whose scores are equal, Z is the
mean of the two value rows.
"""
import numpy as np

from exercises import project, score_matrix, scaled, softmax_rows, context_vector


def cross_attention(X, source, W_Q, W_K, W_V):
    raise NotImplementedError("exercise 11: cross_attention")
