"""Exercise 8 · a causal mask
Lesson: lessons/06-masks.md ("The trick: -inf before the softmax", "Causal: no looking ahead")

Attention weights where token i may look only at tokens j <= i (itself and earlier
ones). Replace each hidden score (j > i) by -inf BEFORE the softmax: its weight becomes
exactly 0 and the visible weights of the row still add up to 1.

    masked[i, j] = s[i, j] if j <= i, -inf if j > i        (-np.inf)
    alpha = softmax_rows(masked)

Shapes: `scores` is n x n, already scaled. Returns alpha, n x n, zero above the diagonal.
Call your `softmax_rows` from exercise 5 (imported below).

Example: causal_weights(np.array([[1., 5.], [0., 0.]])) -> [[1., 0.], [0.5, 0.5]]
"""
import numpy as np

from exercises import softmax_rows


def causal_weights(scores):
    raise NotImplementedError("exercise 8: causal_weights")
