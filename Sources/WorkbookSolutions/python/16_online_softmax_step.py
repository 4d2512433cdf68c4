"""Exercise 16 · one tile of the online softmax (lesson 14).
m, l, o for one query row, updated with one tile of scores.    (d_v), (b), (b x d_v) -> (d_v)"""
import numpy as np


def online_softmax_step(m, l, o, scores, values):
    m_new = max(m, scores.max())
    if m_new == -np.inf:                  # nothing visible yet
        return m, l, o
    rescale = np.exp(m - m_new)           # 0 before the first tile
    p = np.exp(scores - m_new)            # exp(-inf) = 0 for masked keys
    return m_new, l * rescale + p.sum(), o * rescale + p @ values
