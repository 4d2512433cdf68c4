"""Exercise 10 · concatenating the heads
Lesson: lessons/07-multi-head.md ("Splitting the columns": Z_concat = [Z_0 | Z_1 | ...])

Put the heads' outputs side by side: row i of the result is row i of head 0, followed
by row i of head 1, and so on. It undoes `split_heads`.

    Z_concat[i] = Z_0[i] ++ Z_1[i] ++ ... ++ Z_{h-1}[i]

Shapes: `heads` is a list of h matrices of n x d_v. Returns n x (h*d_v).

Example: concatenate_heads([np.array([[1., 2.], [5., 6.]]), np.array([[3., 4.], [7., 8.]])])
         -> [[1., 2., 3., 4.], [5., 6., 7., 8.]]
"""
import numpy as np


def concatenate_heads(heads):
    raise NotImplementedError("exercise 10: concatenate_heads")
