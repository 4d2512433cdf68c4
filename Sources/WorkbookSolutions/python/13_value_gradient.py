"""Exercise 13 · the value gradient (lesson 12).
dV = alpha.T @ dZ.                                   (n x m), (n x d_v) -> (m x d_v)"""
import numpy as np


def value_gradient(weights, dZ):
    return weights.T @ dZ                        # row j: every query's dZ times alpha[i, j]
