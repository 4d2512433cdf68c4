#!/usr/bin/env python3
"""Reference numbers for dropout on the attention weights (Tests/EngineTests/DropoutTests.swift),
computed with NumPy independently of the Swift code.

    python3 Tests/Reference/make_dropout_reference.py

prints the expected keep masks, α_dropout and Z of the spec in DropoutTests.swift as JSON.
The mask follows docs/spec.md: one SplitMix64 stream started at the seed draws
u = (x >> 11) * 2**-53 for every cell, row by row, head after head; a cell is kept when
u >= p; kept weights are divided by 1 - p.
"""
import json
import numpy as np

MASK64 = (1 << 64) - 1


def splitmix64(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


def softmax_rows(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


X = np.array([[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]], dtype=float)
W_Q = np.array([[1, 0, 1, 0], [1, 0, 0, 1], [0, 0, 1, 1], [0, 1, 1, 0]], dtype=float)
W_K = np.array([[0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 1], [1, 1, 0, 0]], dtype=float)
W_V = np.array([[0, 2, 0, 1], [0, 3, 0, 0], [1, 0, 3, 1], [1, 1, 0, 2]], dtype=float)
heads, p, seed = 2, 0.4, 3

Q, K, V = X @ W_Q, X @ W_K, X @ W_V
n, d = X.shape[0], W_Q.shape[1] // heads
stream = splitmix64(seed)
out = {"keep": [], "alpha_dropout": [], "Z": []}
for h in range(heads):
    cols = slice(h * d, (h + 1) * d)
    alpha = softmax_rows(Q[:, cols] @ K[:, cols].T / np.sqrt(d))
    u = np.array([[(next(stream) >> 11) * 2.0**-53 for _ in range(n)] for _ in range(n)])
    keep = (u >= p).astype(float)
    dropped = np.where(keep == 1, alpha / (1 - p), 0.0)
    out["keep"].append(keep.tolist())
    out["alpha_dropout"].append(dropped.tolist())
    out["Z"].append((dropped @ V[:, cols]).tolist())
print(json.dumps(out))
