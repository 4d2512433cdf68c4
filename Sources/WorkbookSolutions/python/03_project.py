"""Exercise 3 · a projection P = X.W (lesson 03).
P[i, c] = sum_r X[i, r] * W[r, c].          (n x d_model).(d_model x d_out) -> (n x d_out)"""
import numpy as np


def project(X, W):
    return X @ W
