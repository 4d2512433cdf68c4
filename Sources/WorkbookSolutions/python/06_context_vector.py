"""Exercise 6 · one context vector (lessons 02 and 05).
z = sum_j alpha_j * v_j.                                    (m), (m x d_v) -> (d_v)"""
import numpy as np


def context_vector(weights, values):
    return weights @ values
