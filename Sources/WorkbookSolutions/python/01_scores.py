"""Exercise 1 · dot-product scores for one query (lesson 02).
omega_j = q . k_j: one dot product per key.                      (d), (m x d) -> (m)"""
import numpy as np


def scores(query, keys):
    return keys @ query
