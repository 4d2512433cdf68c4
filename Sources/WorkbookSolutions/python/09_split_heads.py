"""Exercise 9 · splitting into heads (lesson 07).
Head h takes columns h*d ..< (h+1)*d.                  (n x h*d) -> h x (n x d)"""
import numpy as np


def split_heads(matrix, heads):
    d = matrix.shape[1] // heads
    return [matrix[:, h * d:(h + 1) * d] for h in range(heads)]
