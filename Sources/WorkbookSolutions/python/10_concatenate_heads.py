"""Exercise 10 · concatenating the heads (lesson 07).
Row i is [Z_0[i] | Z_1[i] | ...].                      h x (n x d_v) -> (n x h*d_v)"""
import numpy as np


def concatenate_heads(heads):
    return np.concatenate(heads, axis=1)
