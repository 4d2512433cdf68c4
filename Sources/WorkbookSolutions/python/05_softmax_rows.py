"""Exercise 5 · the stable softmax of each row (lesson 05).
alpha[i, j] = exp(s[i, j] - max_i) / sum_k exp(s[i, k] - max_i).    (n x m) -> (n x m)"""
import numpy as np


def softmax_rows(scores):
    maximum = scores.max(axis=1, keepdims=True)   # finite: every row has a visible key
    e = np.exp(scores - maximum)                   # exp(-inf) = 0 for masked keys
    return e / e.sum(axis=1, keepdims=True)        # each sum >= 1: the maximum gives exp(0)
