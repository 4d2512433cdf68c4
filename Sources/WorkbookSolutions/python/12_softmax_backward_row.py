"""Exercise 12 · the softmax backward of one row (lesson 12).
d_omega_scaled = alpha * (d_alpha - sum_k alpha_k * d_alpha_k).   (m), (m) -> (m)"""
import numpy as np


def softmax_backward_row(weights, d_weights):
    average = weights @ d_weights                # the alpha-weighted average of d_alpha
    return weights * (d_weights - average)       # exactly 0 where alpha = 0
