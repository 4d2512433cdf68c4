"""Exercise 12 · the softmax backward of one row
Lesson: lessons/12-how-attention-learns.md ("The softmax backward, one row")

The backward pass reaches the softmax with d_alpha, the gradient of the loss with respect
to the weights of one query's row, and must hand back the gradient with respect to the
scores that row was made from. Each weight depends on every score of its row, so each
score's gradient is its own weight times how far its own d_alpha lies from the row's
alpha-weighted average of d_alpha:

    d_omega_scaled[j] = alpha[j] * (d_alpha[j] - sum_k alpha[k] * d_alpha[k])

Shapes: `weights` is one row of alpha (m numbers, adding up to 1; a key hidden by a mask
has weight exactly 0), `d_weights` is the same row of d_alpha (m numbers). Returns m
numbers. A key of weight 0 must get exactly 0, and the result adds up to 0.

Example: softmax_backward_row(np.array([0.5, 0.5]), np.array([1., 3.])) -> [-0.5, 0.5]
"""
import numpy as np


def softmax_backward_row(weights, d_weights):
    raise NotImplementedError("exercise 12: softmax_backward_row")
