"""Exercise 2 · the score matrix omega = Q.K^T (lesson 02).
Row i is query i's scores against every key.          (n x d).(d x m) -> (n x m)"""
import numpy as np


def score_matrix(queries, keys):
    return queries @ keys.T
