"""Exercise 9 · splitting into heads
Lesson: lessons/07-multi-head.md ("Splitting the columns")

Cut a matrix into `heads` blocks of columns: head 0 takes the first d columns, head 1
the next d, and so on, where d = (number of columns) / heads. Every head keeps all the
rows (all the tokens).

    head h = matrix[:, h*d:(h+1)*d]

Shapes: `matrix` is n x (heads*d); `heads` is an int. Returns a list of `heads` matrices
of n x d each.

Example: split_heads(np.array([[1., 2., 3., 4.], [5., 6., 7., 8.]]), 2)
         -> [[[1., 2.], [5., 6.]], [[3., 4.], [7., 8.]]]
"""
import numpy as np


def split_heads(matrix, heads):
    raise NotImplementedError("exercise 9: split_heads")
