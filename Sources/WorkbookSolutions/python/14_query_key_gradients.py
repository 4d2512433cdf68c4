"""Exercise 14 · the query and key gradients (lesson 12).
dQ = d_scores @ K / sqrt(d_k), dK = d_scores.T @ Q / sqrt(d_k).
                                (n x m), (n x d_k), (m x d_k) -> (n x d_k), (m x d_k)"""
import numpy as np


def query_key_gradients(d_scores, queries, keys, d_k):
    root = np.sqrt(d_k)
    return d_scores @ keys / root, d_scores.T @ queries / root
