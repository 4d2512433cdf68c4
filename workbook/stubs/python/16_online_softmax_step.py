"""Exercise 16 · one tile of the online softmax
Lesson: lessons/14-online-softmax.md ("The fix: a running maximum, and a correction")

FlashAttention reads the keys of one query row a tile at a time. It keeps a running
maximum m, a running sum l and a running output o (sum_j exp(s_j - m) * v_j, not yet
divided), and updates them with each tile of scores s_j and value rows v_j. What was
summed against the old maximum is rescaled by exp(m - m_new) first.

    m_new = max(m, max_j s_j)
    l_new = l * exp(m - m_new) + sum_j exp(s_j - m_new)
    o_new = o * exp(m - m_new) + sum_j exp(s_j - m_new) * v_j

Shapes: `m` and `l` are floats, `o` has d_v numbers; `scores` has b numbers (one per
key of the tile) and `values` is b x d_v. Returns a tuple (m_new, l_new, o_new).
Before the first tile m = -inf, l = 0 and o is zeros: the rescale exp(-inf) is 0. A
masked key's score is -inf. If m and every score of the tile are -inf (nothing visible
yet), return m, l and o unchanged: exp(-inf - (-inf)) is nan.

Example: online_softmax_step(-np.inf, 0.0, np.zeros(2), np.array([0., 0.]),
np.array([[1., 0.], [0., 1.]])) -> (0.0, 2.0, [1., 1.])
"""
import numpy as np


def online_softmax_step(m, l, o, scores, values):
    raise NotImplementedError("exercise 16: online_softmax_step")
