"""Exercise 11 · cross-attention (lesson 09).
Q from the target, K and V from the source: Z = softmax(Q.K^T / sqrt(d_k)).V."""
import numpy as np

from exercises import project, score_matrix, scaled, softmax_rows


def cross_attention(X, source, W_Q, W_K, W_V):
    Q = project(X, W_Q)                                   # (n x d_k)
    K, V = project(source, W_K), project(source, W_V)     # (m x d_k), (m x d_v)
    alpha = softmax_rows(scaled(score_matrix(Q, K), W_Q.shape[1]))  # (n x m)
    return alpha @ V                                      # (n x d_v)
