#!/usr/bin/env python3
"""Reference fixtures for the variants of issue 17, computed independently of the Swift code.

Run from the repository root (needs NumPy and PyYAML, as make_fixtures.py):

    python3 Tests/Reference/make_variant_fixtures.py

It (re)writes Tests/Reference/fixtures/variant_*.yaml and variant_*.expected.json, in the
format of make_fixtures.py (whose writers and exact helpers it reuses), so that
Tests/EngineTests/FixtureTests.swift compares every event of them too. The computation here
is written from the papers, not from the Swift code:

* sliding window: query i sees key j iff j <= i and i - j < w;
* grouped-query attention: query head h reads key/value head h // (heads // kv_heads);
* RoPE, adjacent pairs (RoFormer): each pair (x_2i, x_2i+1) as the complex number
  x_2i + i·x_2i+1, multiplied by e^(i·p·θ_i), θ_i = base^(-2i/d);
  RoPE, halves (Llama, Hugging Face): x·cos + rotate_half(x)·sin with the cos/sin tables
  repeated over both halves, rotate_half(x) = [-x2, x1];
* KV cache: for each token t after the prefill, one query row against K[0..t], V[0..t]
  (with a window, the last w rows), the prefill being the plain causal pass on rows 0..p-1;
* tiles: the online softmax (Milakov & Gimelshein 2018; FlashAttention) for the recorded row
  (the last token), tile by tile, skipping the tiles a mask hides from every query of the
  query tile; Z = o / ℓ.

Cases are listed in build_cases(). Torch cross-check: torch_check_variants.py.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (writers, matmul with fsum, softmax_rows)

FIXTURES = mf.FIXTURES
matmul, softmax_rows, numbered = mf.matmul, mf.softmax_rows, mf.numbered


# --------------------------------------------------------------------------------------
# Masks and positions


def hidden(mask, i: int, j: int) -> bool:
    if mask is None:
        return False
    if mask == "causal":
        return j > i
    if "window" in mask:
        return j > i or i - j >= mask["window"]
    return bool(mask["padding"][j])


def rope(x: np.ndarray, positional) -> np.ndarray:
    """x (n, d), row p at position p, turned by RoPE."""
    pairing = positional["rope"] if isinstance(positional, dict) else "adjacent"
    base = float(positional.get("base", 10000)) if isinstance(positional, dict) else 10000.0
    n, d = x.shape
    theta = np.array([base ** (-2 * i / d) for i in range(d // 2)])
    out = np.empty_like(x)
    if pairing == "adjacent":
        for p in range(n):
            for i in range(d // 2):
                z = complex(x[p, 2 * i], x[p, 2 * i + 1]) * complex(math.cos(p * theta[i]), math.sin(p * theta[i]))
                out[p, 2 * i], out[p, 2 * i + 1] = z.real, z.imag
    else:
        for p in range(n):
            cos = np.array([math.cos(p * t) for t in theta] * 2)
            sin = np.array([math.sin(p * t) for t in theta] * 2)
            half = np.concatenate([-x[p, d // 2:], x[p, :d // 2]])
            out[p] = x[p] * cos + half * sin
    return out


# --------------------------------------------------------------------------------------
# The trace


def plain(emit, h, tokens, Q, K, V, scale, mask, d_k, name="Z", offset=0):
    n, m = Q.shape[0], K.shape[0]
    omega = matmul(Q, K.T)
    emit("similarity", h, "ω", tokens[:n], tokens[:m], omega)
    scores = omega
    if scale:
        scores = omega / math.sqrt(d_k)
        emit("scaling", h, "ω_scaled", tokens[:n], tokens[:m], scores)
    if mask is not None:
        scores = np.array([[-math.inf if hidden(mask, offset + i, j) else scores[i, j] for j in range(m)] for i in range(n)])
        emit("masking", h, "ω_masked", tokens[:n], tokens[:m], scores)
    alpha = softmax_rows(scores)
    emit("normalization", h, "α", tokens[:n], tokens[:m], alpha)
    Z = matmul(alpha, V)
    emit("context", h, name, tokens[:n], numbered(V.shape[1]), Z)
    return Z


def decoded(emit, h, tokens, Q, K, V, scale, mask, d_k, prefill):
    n = Q.shape[0]
    rows = []
    if prefill > 0:
        rows.append(plain(emit, h, tokens, Q[:prefill], K[:prefill], V[:prefill], scale, mask, d_k, name="Z_prefill"))
    for t in range(prefill, n):
        first = max(0, t - mask["window"] + 1) if isinstance(mask, dict) else 0
        keys = list(range(first, t + 1))
        emit("decoding", h, "cache", [tokens[t]], ["k" + c for c in numbered(K.shape[1])] + ["v" + c for c in numbered(V.shape[1])],
             np.concatenate([K[t:t + 1], V[t:t + 1]], axis=1))
        omega = matmul(Q[t:t + 1], K[keys].T)
        emit("decoding", h, "ω_t", [tokens[t]], [tokens[j] for j in keys], omega)
        s = omega / math.sqrt(d_k) if scale else omega
        alpha = softmax_rows(s)
        emit("decoding", h, "α_t", [tokens[t]], [tokens[j] for j in keys], alpha)
        z = matmul(alpha, V[keys])
        emit("decoding", h, "z_t", [tokens[t]], numbered(V.shape[1]), z)
        rows.append(z)
    Z = np.concatenate(rows, axis=0)
    emit("context", h, "Z", tokens, numbered(V.shape[1]), Z)


def tiled(emit, h, tokens, Q, K, V, scale, mask, d_k, Br, Bc, focus):
    n, m, d_v = Q.shape[0], K.shape[0], V.shape[1]
    factor = 1 / math.sqrt(d_k) if scale else 1.0
    Z = np.zeros((n, d_v))
    steps, outputs, labels = [], [], []
    for r0 in range(0, n, Br):
        rows = range(r0, min(r0 + Br, n))
        for i in rows:
            m_run, l_run, o = -math.inf, 0.0, np.zeros(d_v)
            for c0 in range(0, m, Bc):
                keys = range(c0, min(c0 + Bc, m))
                if all(hidden(mask, a, b) for a in rows for b in keys):
                    continue  # a tile the mask hides from every query of the query tile
                s = [-math.inf if hidden(mask, i, j) else math.fsum(Q[i, k] * K[j, k] for k in range(Q.shape[1])) * factor
                     for j in keys]
                tile_max = max(s)
                m_new = max(m_run, tile_max)
                rescale = 0.0 if m_run == -math.inf else math.exp(m_run - m_new)
                p = [0.0 if (x == -math.inf or m_new == -math.inf) else math.exp(x - m_new) for x in s]
                tile_sum = math.fsum(p)
                l_new = l_run * rescale + tile_sum
                o = o * rescale + np.array([math.fsum(p[k] * V[j, c] for k, j in enumerate(keys)) for c in range(d_v)])
                if i == focus:
                    steps.append([m_run, tile_max, m_new, rescale, l_run, tile_sum, l_new])
                    outputs.append(o.copy())
                    labels.append(f"key {c0}" if len(keys) == 1 else f"keys {c0}–{keys[-1]}")
                m_run, l_run = m_new, l_new
            Z[i] = o / l_run
    emit("tiling", h, "online", labels, ["m_old", "tile_max", "m_new", "rescale", "ℓ_old", "tile_sum", "ℓ_new"], np.array(steps))
    emit("tiling", h, "o", labels, numbered(d_v), np.array(outputs))
    emit("context", h, "Z", tokens, numbered(d_v), Z)


def variant_trace(spec: dict) -> list[dict]:
    events: list[dict] = []

    def emit(stage, head, name, rows, columns, values):
        values = np.asarray(values, dtype=np.float64).reshape(len(rows), len(columns))
        events.append({"stage": stage, "head": head, "name": name,
                       "rows": list(rows), "columns": list(columns), "values": values})

    tokens = spec["tokens"]
    X = np.array(spec["X"], dtype=np.float64)
    n, d_model = X.shape
    emit("input", None, "X", tokens, numbered(d_model), X)
    heads = spec.get("heads", 1)
    g = spec.get("kv_heads", heads)
    W_Q, W_K, W_V = (np.array(spec[k], dtype=np.float64) for k in ("W_Q", "W_K", "W_V"))
    d_k, d_v = W_Q.shape[1] // heads, W_V.shape[1] // g
    assert W_K.shape[1] == g * d_k
    bias = {k: np.array(spec[k]) if k in spec else None for k in ("b_Q", "b_K", "b_V")}
    mask, scale = spec.get("mask"), spec.get("scale", True)
    Zs = []
    for h in range(heads):
        kv = h // (heads // g)
        Q = matmul(X, W_Q[:, h * d_k:(h + 1) * d_k])
        K = matmul(X, W_K[:, kv * d_k:(kv + 1) * d_k])
        V = matmul(X, W_V[:, kv * d_v:(kv + 1) * d_v])
        if bias["b_Q"] is not None:
            Q = Q + bias["b_Q"][h * d_k:(h + 1) * d_k]
        if bias["b_K"] is not None:
            K = K + bias["b_K"][kv * d_k:(kv + 1) * d_k]
        if bias["b_V"] is not None:
            V = V + bias["b_V"][kv * d_v:(kv + 1) * d_v]
        emit("projection", h, "Q", tokens, numbered(d_k), Q)
        emit("projection", h, "K", tokens, numbered(d_k), K)
        emit("projection", h, "V", tokens, numbered(d_v), V)
        positional = spec.get("positional")
        if positional is not None:
            assert positional == "rope" or "rope" in positional, positional
            Q, K = rope(Q, positional), rope(K, positional)
            emit("rotary", h, "Q_rot", tokens, numbered(d_k), Q)
            emit("rotary", h, "K_rot", tokens, numbered(d_k), K)
        if "tiles" in spec:
            tiled(emit, h, tokens, Q, K, V, scale, mask, d_k, spec["tiles"]["rows"], spec["tiles"]["columns"], n - 1)
        elif "decode" in spec:
            decoded(emit, h, tokens, Q, K, V, scale, mask, d_k, spec["decode"]["prefill"])
        else:
            plain(emit, h, tokens, Q, K, V, scale, mask, d_k)
        Zs.append(events[-1]["values"])
    Z_concat = np.concatenate(Zs, axis=1)
    if heads > 1:
        emit("concat", None, "Z_concat", tokens, numbered(heads * d_v), Z_concat)
    if "W_O" in spec:
        W_O = np.array(spec["W_O"], dtype=np.float64)
        O = matmul(Z_concat, W_O)
        if "b_O" in spec:
            O = O + np.array(spec["b_O"])
        emit("output", None, "O", tokens, numbered(W_O.shape[1]), O)
    return events


# --------------------------------------------------------------------------------------
# Cases and files


def build_cases():
    cases = []
    draw = mf.draw

    def case(name, description, spec):
        cases.append((name, description, spec))

    def weights(rng, d_model, heads, g, d_k, d_v, biases=False, wo=False):
        out = {"W_Q": draw(rng, d_model, heads * d_k), "W_K": draw(rng, d_model, g * d_k),
               "W_V": draw(rng, d_model, g * d_v)}
        if biases:
            out.update(b_Q=draw(rng, heads * d_k), b_K=draw(rng, g * d_k), b_V=draw(rng, g * d_v))
        if wo:
            out["W_O"] = draw(rng, heads * d_v, d_model)
        return out

    toks = ["the", "cat", "sat", "on", "a", "warm", "mat"]
    rng = np.random.default_rng(201)
    case("variant_window", "Sliding window of 3 keys (causal), one head.",
         {"tokens": toks[:6], "X": draw(rng, 6, 4), **weights(rng, 4, 1, 1, 3, 2), "mask": {"window": 3}})
    rng = np.random.default_rng(202)
    case("variant_gqa", "Grouped-query attention: 4 query heads share 2 K/V heads; causal; W_O.",
         {"tokens": toks[:5], "X": draw(rng, 5, 4), **weights(rng, 4, 4, 2, 2, 2, wo=True),
          "heads": 4, "kv_heads": 2, "mask": "causal"})
    rng = np.random.default_rng(203)
    case("variant_mqa_window", "Multi-query attention (kv_heads 1) with 3 heads, biases, window of 2.",
         {"tokens": toks[:6], "X": draw(rng, 6, 4), **weights(rng, 4, 3, 1, 2, 3, biases=True),
          "heads": 3, "kv_heads": 1, "mask": {"window": 2}})
    rng = np.random.default_rng(204)
    case("variant_rope_adjacent", "RoPE on adjacent pairs (RoFormer), d_k 4, 2 heads, causal.",
         {"tokens": toks[:5], "X": draw(rng, 5, 4), **weights(rng, 4, 2, 2, 4, 2), "heads": 2,
          "mask": "causal", "positional": "rope"})
    rng = np.random.default_rng(205)
    case("variant_rope_half", "RoPE on halves (Llama), d_k 6, base 500, no mask.",
         {"tokens": toks[:6], "X": draw(rng, 6, 4), **weights(rng, 4, 1, 1, 6, 2),
          "positional": {"rope": "half", "base": 500}})
    rng = np.random.default_rng(206)
    case("variant_decode", "KV cache: prefill 2, then 4 decode steps; 2 query heads share 1 K/V head; RoPE; causal.",
         {"tokens": toks[:6], "X": draw(rng, 6, 4), **weights(rng, 4, 2, 1, 2, 2, wo=True), "heads": 2,
          "kv_heads": 1, "mask": "causal", "positional": "rope", "decode": {"prefill": 2}})
    rng = np.random.default_rng(207)
    case("variant_decode_window", "KV cache with a window of 3 (the cache keeps 3 rows), no prefill.",
         {"tokens": toks[:6], "X": draw(rng, 6, 4), **weights(rng, 4, 1, 1, 3, 2),
          "mask": {"window": 3}, "decode": {"prefill": 0}})
    rng = np.random.default_rng(208)
    case("variant_tiles_causal", "Tiles of 3 queries x 2 keys with the online softmax; causal; 2 heads; W_O.",
         {"tokens": toks, "X": draw(rng, 7, 4), **weights(rng, 4, 2, 2, 2, 2, wo=True), "heads": 2,
          "mask": "causal", "tiles": {"rows": 3, "columns": 2}})
    rng = np.random.default_rng(209)
    case("variant_tiles_gqa", "Tiles of 2 x 3, no mask, 2 query heads on 1 K/V head, RoPE halves.",
         {"tokens": toks, "X": draw(rng, 7, 4), **weights(rng, 4, 2, 1, 4, 2), "heads": 2, "kv_heads": 1,
          "positional": {"rope": "half"}, "tiles": {"rows": 2, "columns": 3}})
    rng = np.random.default_rng(210)
    case("variant_tiles_window", "Tiles of 2 x 2 with a window of 2: some tiles are hidden from the last row.",
         {"tokens": toks, "X": draw(rng, 7, 4), **weights(rng, 4, 1, 1, 2, 2), "mask": {"window": 2},
          "tiles": {"rows": 2, "columns": 2}})
    return cases


def write_yaml(name, description, spec):
    lines = [f"# {name}: {description}",
             "# Generated by Tests/Reference/make_variant_fixtures.py; do not edit by hand.",
             mf.yaml_tokens("tokens", spec["tokens"], "")]
    lines += mf.yaml_matrix("X", spec["X"], "", False)
    for key in ("W_Q", "W_K", "W_V", "W_O"):
        if key in spec:
            lines += mf.yaml_matrix(key, spec[key], "", False)
    for key in ("b_Q", "b_K", "b_V"):
        if key in spec:
            lines.append(f"{key}: {mf.yaml_row(spec[key])}")
    for key in ("heads", "kv_heads"):
        if key in spec:
            lines.append(f"{key}: {spec[key]}")
    mask = spec.get("mask")
    if mask == "causal":
        lines.append("mask: causal")
    elif mask is not None:
        lines.append(f"mask: {{window: {mask['window']}}}")
    positional = spec.get("positional")
    if positional == "rope":
        lines.append("positional: rope")
    elif positional is not None:
        lines.append("positional: {" + ", ".join(f"{k}: {v}" for k, v in positional.items()) + "}")
    if "decode" in spec:
        lines.append(f"decode: {{prefill: {spec['decode']['prefill']}}}")
    if "tiles" in spec:
        lines.append(f"tiles: {{rows: {spec['tiles']['rows']}, columns: {spec['tiles']['columns']}}}")
    known = {"tokens", "X", "W_Q", "W_K", "W_V", "W_O", "b_Q", "b_K", "b_V", "heads", "kv_heads", "mask",
             "positional", "decode", "tiles"}
    assert set(spec) <= known, set(spec) - known
    return "\n".join(lines) + "\n"


def main() -> None:
    for name, description, spec in build_cases():
        text = write_yaml(name, description, spec)
        mf.check_yaml(text, spec, name)
        events = variant_trace(yaml.safe_load(text))
        trace = mf.write_trace(events)
        mf.check_trace(trace, events, name)
        (FIXTURES / f"{name}.yaml").write_text(text, encoding="utf-8")
        (FIXTURES / f"{name}.expected.json").write_text(trace, encoding="utf-8")
        print("wrote", name)


if __name__ == "__main__":
    main()
