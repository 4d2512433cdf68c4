"""Exercise 4 · scaling by sqrt(d_k) (lesson 04).
omega_scaled = omega / sqrt(d_k).                               (n x m) -> (n x m)"""
import numpy as np


def scaled(scores, d_k):
    return scores / np.sqrt(d_k)
