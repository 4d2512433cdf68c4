"""The catalogue of wrong implementations (Tests/WorkbookTests/WrongImplementations.swift),
written with NumPy: each function is an exercise's function with one known mistake.
WRONG maps each to (exercise, the words its diagnosis must contain); PythonTests runs each
through run_exercise.py, against the same checks as the Swift edition.

The earlier exercises they use are the reference solutions (run_exercise.py is given
Sources/WorkbookSolutions/python as the folder, so `exercises` loads from there)."""
import numpy as np

from exercises import project, score_matrix, scaled, softmax_rows


def _stable(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _naive(s):
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def _columns(s):
    return _stable(s.T).T


def _attention(X, S, W_Q, W_K, W_V, scale=True, softmax=_stable, transpose=False, values=None):
    Q, K = X @ W_Q, S @ W_K
    V = values if values is not None else S @ W_V
    s = Q @ K.T
    if scale:
        s = s / np.sqrt(W_Q.shape[1])
    if transpose:
        s = s.T
    return softmax(s) @ V


def _mask(s, value, hidden):
    n, m = s.shape
    out = s.copy()
    for i in range(n):
        for j in range(m):
            if hidden(i, j):
                out[i, j] = value
    return out


# 2 · omega = Q.K^T
def score_matrix_transposed(queries, keys): return keys @ queries.T
def score_matrix_untransposed_k(queries, keys): return queries @ keys[:queries.shape[1]]
# 3 · X.W
def project_transposed(X, W): return np.array([[sum(a * b for a, b in zip(x, w)) for w in W] for x in X])  # row c of W for column c
# 4 · scaling
def scaled_by_dk(scores, d_k): return scores / d_k
def scaled_not_at_all(scores, d_k): return scores
def scaled_multiplied(scores, d_k): return scores * np.sqrt(d_k)
# 5 · softmax
def softmax_columns(scores): return _columns(scores)
def softmax_no_max(scores): return _naive(scores)
def softmax_global_max(scores):
    e = np.exp(scores - scores[np.isfinite(scores)].max())
    return e / e.sum(axis=1, keepdims=True)
def softmax_not_normalized(scores): return np.exp(scores - scores.max(axis=1, keepdims=True))
def softmax_half(scores): return _stable(scores) * 0.5
def softmax_float32(scores): return _stable(scores).astype(np.float32)
# 6 · context vector
def context_vector_average(weights, values): return values.mean(axis=0)
# 7 · attention
def attention_no_scaling(X, W_Q, W_K, W_V): return _attention(X, X, W_Q, W_K, W_V, scale=False)
def attention_divided_by_dk(X, W_Q, W_K, W_V): return _stable((X @ W_Q) @ (X @ W_K).T / W_Q.shape[1]) @ (X @ W_V)
def attention_scaled_by_dv(X, W_Q, W_K, W_V): return _stable((X @ W_Q) @ (X @ W_K).T / np.sqrt(W_V.shape[1])) @ (X @ W_V)
def attention_columns(X, W_Q, W_K, W_V): return _attention(X, X, W_Q, W_K, W_V, softmax=_columns)
def attention_transposed(X, W_Q, W_K, W_V): return _attention(X, X, W_Q, W_K, W_V, transpose=True)
def attention_no_max(X, W_Q, W_K, W_V): return _attention(X, X, W_Q, W_K, W_V, softmax=_naive)
def attention_returns_alpha(X, W_Q, W_K, W_V): return _stable((X @ W_Q) @ (X @ W_K).T / np.sqrt(W_Q.shape[1]))
def attention_mixes_x(X, W_Q, W_K, W_V): return _attention(X, X, W_Q, W_K, W_V, values=X)
# 8 · causal mask
def causal_after_softmax(scores): return _mask(softmax_rows(scores), 0.0, lambda i, j: j > i)
def causal_no_mask(scores): return softmax_rows(scores)
def causal_zero(scores): return softmax_rows(_mask(scores, 0.0, lambda i, j: j > i))
def causal_wrong_side(scores): return softmax_rows(_mask(scores, -np.inf, lambda i, j: j < i))
def causal_diagonal(scores): return softmax_rows(_mask(scores, -np.inf, lambda i, j: j >= i))
# 9 · split
def split_interleaved(matrix, heads): return [matrix[:, h::heads] for h in range(heads)]
def split_rows(matrix, heads):
    n = matrix.shape[0] // heads
    return [matrix[h * n:(h + 1) * n] for h in range(heads)]
# 10 · concatenate
def concatenate_stacked(heads): return np.concatenate(heads, axis=0)
def concatenate_reversed(heads): return np.concatenate(heads[::-1], axis=1)
def concatenate_interleaved(heads): return np.stack(heads, axis=2).reshape(heads[0].shape[0], -1)
# 11 · cross-attention
def cross_keys_from_target(X, source, W_Q, W_K, W_V): return _attention(X, X, W_Q, W_K, W_V)
def cross_queries_from_source(X, source, W_Q, W_K, W_V): return _attention(source, source, W_Q, W_K, W_V)
def cross_no_scaling(X, source, W_Q, W_K, W_V): return _attention(X, source, W_Q, W_K, W_V, scale=False)
def cross_columns(X, source, W_Q, W_K, W_V): return _attention(X, source, W_Q, W_K, W_V, softmax=_columns)
# 12 · the softmax backward of one row
def backward_row_no_average(weights, d_weights): return weights * d_weights
def backward_row_no_weight(weights, d_weights): return d_weights - weights @ d_weights
def backward_row_plain_sum(weights, d_weights): return weights * (d_weights - d_weights.sum())
def backward_row_plain_mean(weights, d_weights): return weights * (d_weights - d_weights.mean())
def backward_row_passed_through(weights, d_weights): return d_weights
def backward_row_sign(weights, d_weights): return weights * (weights @ d_weights - d_weights)
def backward_row_clamped(weights, d_weights): return np.maximum(weights, 1e-12) * (d_weights - weights @ d_weights)
# 13 · dV = alpha^T . dZ
def value_gradient_untransposed(weights, dZ): return weights @ dZ
def value_gradient_transposed(weights, dZ): return dZ.T @ weights
def value_gradient_unweighted(weights, dZ): return np.tile(dZ.sum(axis=0), (weights.shape[1], 1))
# 14 · dQ and dK
def qk_no_scaling(d_scores, queries, keys, d_k): return d_scores @ keys, d_scores.T @ queries
def qk_no_scaling_dk(d_scores, queries, keys, d_k): return d_scores @ keys / np.sqrt(d_k), d_scores.T @ queries
def qk_multiplied(d_scores, queries, keys, d_k): return d_scores @ keys * np.sqrt(d_k), d_scores.T @ queries * np.sqrt(d_k)
def qk_divided_by_dk(d_scores, queries, keys, d_k): return d_scores @ keys / d_k, d_scores.T @ queries / d_k
def qk_untransposed_dk(d_scores, queries, keys, d_k): return d_scores @ keys / np.sqrt(d_k), d_scores @ queries / np.sqrt(d_k)
def qk_swapped_order(d_scores, queries, keys, d_k): return d_scores.T @ queries / np.sqrt(d_k), d_scores @ keys / np.sqrt(d_k)
def qk_swapped_q_k(d_scores, queries, keys, d_k): return d_scores @ queries / np.sqrt(d_k), d_scores.T @ keys / np.sqrt(d_k)
# 15 · a decode step
def _decode(query, key, value, keys, values, root=None, attend_old=False):
    K, V = np.vstack([keys, key]), np.vstack([values, value])
    seen_K, seen_V = (keys, values) if attend_old else (K, V)
    s = seen_K @ query / (np.sqrt(len(query)) if root is None else root)
    return K, V, _stable(s[np.newaxis, :])[0] @ seen_V
def decode_not_scaled(query, key, value, keys, values): return _decode(query, key, value, keys, values, root=1.0)
def decode_attends_old_cache(query, key, value, keys, values):
    K, V, z = _decode(query, key, value, keys, values, attend_old=len(keys) > 0)
    return K, V, (z if len(keys) > 0 else value)
# 16 · the online softmax
def _online(m, l, o, scores, values, rescale=lambda old, new: np.exp(old - new), tile_max_only=False):
    m_new = scores.max() if tile_max_only else max(m, scores.max())
    if m_new == -np.inf:
        return m, l, o
    r = 0.0 if m == -np.inf else rescale(m, m_new)
    p = np.exp(scores - m_new)
    return m_new, l * r + p.sum(), o * r + p @ values
def online_no_rescale(m, l, o, scores, values): return _online(m, l, o, scores, values, rescale=lambda old, new: 1.0)
def online_rescale_inverted(m, l, o, scores, values): return _online(m, l, o, scores, values, rescale=lambda old, new: np.exp(new - old))
def online_tile_max_only(m, l, o, scores, values): return _online(m, l, o, scores, values, tile_max_only=True)

WRONG = {
    "score_matrix_transposed": (2, "transposed"),
    "score_matrix_untransposed_k": (2, "K was not transposed"),
    "project_transposed": (3, "column c"),
    "scaled_by_dk": (4, "forgot the square root"),
    "scaled_not_at_all": (4, "divide each one by √d_k"),
    "scaled_multiplied": (4, "multiplied"),
    "softmax_columns": (5, "wrong axis"),
    "softmax_no_max": (5, "no max subtraction"),
    "softmax_global_max": (5, "one maximum for the whole matrix"),
    "softmax_not_normalized": (5, "do not add up to 1"),
    "softmax_half": (5, "adds up to"),
    "softmax_float32": (5, "Float"),
    "context_vector_average": (6, "same weight"),
    "attention_no_scaling": (7, "forgot √d_k"),
    "attention_divided_by_dk": (7, "forgot the square root"),
    "attention_scaled_by_dv": (7, "you divided by √d_v"),
    "attention_columns": (7, "wrong axis"),
    "attention_transposed": (7, "transposed K"),
    "attention_no_max": (7, "NaN or ∞"),
    "attention_returns_alpha": (7, "you returned α"),
    "attention_mixes_x": (7, "V = X·W_V"),
    "causal_after_softmax": (8, "after the softmax"),
    "causal_no_mask": (8, "no mask"),
    "causal_zero": (8, "instead of −∞"),
    "causal_wrong_side": (8, "wrong side"),
    "causal_diagonal": (8, "diagonal"),
    "split_interleaved": (9, "column c goes to head c mod"),
    "split_rows": (9, "rows"),
    "concatenate_stacked": (10, "side by side"),
    "concatenate_reversed": (10, "reverse order"),
    "concatenate_interleaved": (10, "alternate"),
    "cross_keys_from_target": (11, "from the target"),
    "cross_queries_from_source": (11, "from the source"),
    "cross_no_scaling": (11, "forgot √d_k"),
    "cross_columns": (11, "wrong axis"),
    "backward_row_no_average": (12, "forgot the row's average"),
    "backward_row_no_weight": (12, "did not multiply by the weight"),
    "backward_row_plain_sum": (12, "not weighted"),
    "backward_row_plain_mean": (12, "plain mean"),
    "backward_row_passed_through": (12, "passed dα through unchanged"),
    "backward_row_sign": (12, "sign"),
    "backward_row_clamped": (12, "must be exactly 0"),
    "value_gradient_untransposed": (13, "α was not transposed"),
    "value_gradient_transposed": (13, "the transpose of dV"),
    "value_gradient_unweighted": (13, "same gradient"),
    "qk_no_scaling": (14, "forgot √d_k"),
    "qk_no_scaling_dk": (14, "dQ is right but you forgot √d_k"),
    "qk_multiplied": (14, "multiplied"),
    "qk_divided_by_dk": (14, "forgot the square root"),
    "qk_untransposed_dk": (14, "dK needs the transpose"),
    "qk_swapped_order": (14, "wrong order"),
    "qk_swapped_q_k": (14, "Q and K are swapped"),
    "decode_not_scaled": (15, "forgot √d_k"),
    "decode_attends_old_cache": (15, "old cache only"),
    "online_no_rescale": (16, "did not rescale"),
    "online_rescale_inverted": (16, "upside down"),
    "online_tile_max_only": (16, "maximum of this tile only"),
}
