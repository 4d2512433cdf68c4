"""Exercise 7 · single-head self-attention (lesson 05).
Z = softmax(Q.K^T / sqrt(d_k)).V with Q = X.W_Q, K = X.W_K, V = X.W_V."""
import numpy as np

from exercises import project, score_matrix, scaled, softmax_rows, context_vector


def attention(X, W_Q, W_K, W_V):
    Q, K, V = project(X, W_Q), project(X, W_K), project(X, W_V)     # (n x d_k), (n x d_k), (n x d_v)
    alpha = softmax_rows(scaled(score_matrix(Q, K), W_Q.shape[1]))  # (n x n)
    return np.array([context_vector(row, V) for row in alpha])     # (n x d_v)
