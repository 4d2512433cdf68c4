#!/usr/bin/env python3
"""Reference gradients for `attn`'s backward pass, from PyTorch autograd (float64).

Run from the repository root, in an environment with torch, NumPy and PyYAML (not needed by
`swift test`, which reads the files this writes):

    .build/venv/bin/python3 Tests/Reference/make_backward_fixtures.py

It (re)writes, for every case below,

* ``Tests/Reference/backward/NAME.yaml``           a spec with ``backward: {dO: ...}``, explicit numbers
* ``Tests/Reference/backward/NAME.expected.json``  the backward events attn must produce, in order,
                                                   with values taken from ``tensor.grad``

The gradients are independent of the Swift code: the forward pass is written with torch
operations (projections, head slices, ``masked_fill(-inf)``, ``torch.softmax``, ``@``), the loss is
``L = Σ dO ⊙ O`` (so ∂L/∂O = dO), and ``L.backward()`` fills ``.grad`` of every leaf and of every
intermediate that called ``retain_grad()``.  Before writing, every gradient of the leaves (X, X_src,
the weights and biases) is checked against central finite differences in NumPy float64,
(L(θ + h) − L(θ − h)) / 2h with h = 1e-6, to 1e-6; the script prints the largest difference.

Names (docs/trace-format.md): dO; dZ_concat, dW_O, db_O with W_O; per head dZ, dV, dα,
dω_scaled (the gradient of the scaled scores, before the mask: 0 where masked), dω (the raw
scores ω = Q·Kᵀ); dQ, dK; dW_Q, dW_K, dW_V, db_Q, db_K, db_V; dX and, with a source, dX_source.
Without scaling the softmax's gradient is dω itself and there is no dω_scaled.  A bias gradient
is one row labelled "Σ".  Compare with a tolerance of 1e-9 (the numbers are of order 1; PyTorch
and attn sum in different orders, so the last bits differ).

Cases (inputs from np.random.default_rng(seed), uniform on [-1, 1) rounded to 3 decimals):

bw_single_head          3 tokens, d_model 4, d_k = d_v = 3, no mask, no W_O: dO is ∂L/∂Z
bw_biases_causal        4 tokens, biases, causal mask, W_O without b_O
bw_multihead_padding    2 heads, every bias, W_O and b_O, a padding key (its dK and dV rows are 0)
bw_cross_attention      cross-attention (3 queries, 4 source tokens), 2 heads, padding on the
                        source, every bias, W_O and b_O: dX and dX_source
bw_three_heads_no_wo    3 heads, no W_O: dO is ∂L/∂Z_concat
bw_unscaled             scale: false and a causal mask: the softmax's gradient is dω directly
bw_no_projection        no W_Q/W_K/W_V, 2 heads, causal: dX collects dQ + dK + dV per column block
bw_no_projection_cross  no projections, cross-attention, 1 head, unscaled
bw_positional           sinusoidal positions (PE is constant, so dX = ∂L/∂X_pos), W_O
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import check_yaml, json_value, sinusoidal, write_yaml, yaml_matrix  # noqa: E402

OUT = Path(__file__).resolve().parent / "backward"
DT = torch.float64
FD_STEP, FD_TOL = 1e-6, 1e-6


def draw(rng, *shape):
    return (np.round(rng.uniform(-1.0, 1.0, size=shape), 3) + 0.0).tolist()


def numbered(k):
    return [str(i) for i in range(k)]


def subscript(n):
    return "".join("₀₁₂₃₄₅₆₇₈₉"[int(c)] for c in str(n))


# --------------------------------------------------------------------------------------
# The forward pass in torch, with every intermediate kept for its gradient
# --------------------------------------------------------------------------------------


def forward(spec: dict, leaves: dict):
    """Returns (output, kept): kept maps (name, head) to the tensors whose .grad we read."""
    X = leaves["X"]
    n, d_model = X.shape
    X_kv = leaves.get("X_src", X)
    m = X_kv.shape[0]
    if spec.get("positional") == "sinusoidal":
        X = X + torch.tensor(sinusoidal(n, d_model), dtype=DT)
        if "X_src" in leaves:
            X_kv = X_kv + torch.tensor(sinusoidal(m, d_model), dtype=DT)
        else:
            X_kv = X
    heads = spec.get("heads", 1)
    projected = "W_Q" in spec
    if projected:
        Q_all = X @ leaves["W_Q"] + leaves.get("b_Q", 0.0)
        K_all = X_kv @ leaves["W_K"] + leaves.get("b_K", 0.0)
        V_all = X_kv @ leaves["W_V"] + leaves.get("b_V", 0.0)
    else:
        Q_all, K_all, V_all = X, X_kv, X_kv
    d_k = Q_all.shape[1] // heads
    d_v = V_all.shape[1] // heads
    mask = spec.get("mask")
    if mask == "causal":
        blocked = torch.triu(torch.ones(n, m, dtype=torch.bool), diagonal=1)
    elif isinstance(mask, dict):
        blocked = torch.tensor(mask["padding"], dtype=torch.bool).expand(n, m)
    else:
        blocked = None
    scale = spec.get("scale", True)

    kept = {}

    def keep(name, head, t):
        if t.requires_grad:
            t.retain_grad()
        kept[(name, head)] = t
        return t

    Z_heads = []
    for h in range(heads):
        # Separate slicing ops: each head's Q, K, V is its own tensor with its own .grad.
        Q = keep("dQ", h, Q_all[:, h * d_k:(h + 1) * d_k])
        K = keep("dK", h, K_all[:, h * d_k:(h + 1) * d_k])
        V = keep("dV", h, V_all[:, h * d_v:(h + 1) * d_v])
        omega = keep("dω", h, Q @ K.T)
        scores = omega
        if scale:
            scores = keep("dω_scaled", h, omega / math.sqrt(d_k))
        if blocked is not None:
            scores = scores.masked_fill(blocked, -math.inf)
        alpha = keep("dα", h, torch.softmax(scores, dim=-1))
        Z_heads.append(keep("dZ", h, alpha @ V))
    Z_concat = torch.cat(Z_heads, dim=1)
    if "W_O" in spec:
        keep("dZ_concat", None, Z_concat)
        return Z_concat @ leaves["W_O"] + leaves.get("b_O", 0.0), kept
    return Z_concat, kept


LEAF_NAMES = ["X", "X_src", "W_Q", "W_K", "W_V", "b_Q", "b_K", "b_V", "W_O", "b_O"]


def leaves_of(spec: dict, grad: bool) -> dict:
    out = {}
    for name in LEAF_NAMES:
        value = spec["source"]["X"] if name == "X_src" and "source" in spec else spec.get(name)
        if value is None:
            continue
        out[name] = torch.tensor(value, dtype=DT, requires_grad=grad)
    return out


def loss(spec: dict, leaves: dict) -> torch.Tensor:
    output, _ = forward(spec, leaves)
    return (output * torch.tensor(spec["backward"]["dO"], dtype=DT)).sum()


# --------------------------------------------------------------------------------------
# Expected events
# --------------------------------------------------------------------------------------


def expected_events(spec: dict) -> tuple[list[dict], float]:
    leaves = leaves_of(spec, grad=True)
    output, kept = forward(spec, leaves)
    dO = torch.tensor(spec["backward"]["dO"], dtype=DT)
    (output * dO).sum().backward()

    tokens = spec["tokens"]
    key_tokens = spec["source"]["tokens"] if "source" in spec else tokens
    heads = spec.get("heads", 1)
    scale = spec.get("scale", True)
    events = []

    def emit(name, head, rows, columns, values):
        values = np.asarray(values.detach().numpy() if torch.is_tensor(values) else values, dtype=np.float64)
        if values.ndim == 1:
            values = values[None, :]
        assert values.shape == (len(rows), len(columns)), (name, values.shape, len(rows), len(columns))
        assert np.all(np.isfinite(values)), name
        events.append({"stage": "backward", "head": head, "name": name,
                       "rows": list(rows), "columns": list(columns), "values": values})

    emit("dO", None, tokens, numbered(dO.shape[1]), dO)
    if "W_O" in spec:
        dZc = kept[("dZ_concat", None)].grad
        emit("dZ_concat", None, tokens, numbered(dZc.shape[1]), dZc)
        W_O = leaves["W_O"]
        emit("dW_O", None, numbered(W_O.shape[0]), numbered(W_O.shape[1]), W_O.grad)
        if "b_O" in leaves:
            emit("db_O", None, ["Σ"], numbered(W_O.shape[1]), leaves["b_O"].grad)
    for h in range(heads):
        g = lambda name: kept[(name, h)].grad
        emit("dZ", h, tokens, numbered(g("dZ").shape[1]), g("dZ"))
        emit("dV", h, key_tokens, numbered(g("dV").shape[1]), g("dV"))
        emit("dα", h, tokens, key_tokens, g("dα"))
        if scale:
            emit("dω_scaled", h, tokens, key_tokens, g("dω_scaled"))
        emit("dω", h, tokens, key_tokens, g("dω"))
        emit("dQ", h, tokens, numbered(g("dQ").shape[1]), g("dQ"))
        emit("dK", h, key_tokens, numbered(g("dK").shape[1]), g("dK"))
    for W in ("W_Q", "W_K", "W_V"):
        if W in leaves:
            t = leaves[W]
            emit("d" + W, None, numbered(t.shape[0]), numbered(t.shape[1]), t.grad)
    for b in ("b_Q", "b_K", "b_V"):
        if b in leaves:
            emit("d" + b, None, ["Σ"], numbered(leaves[b].shape[0]), leaves[b].grad)
    d_model = leaves["X"].shape[1]
    emit("dX", None, tokens, numbered(d_model), leaves["X"].grad)
    if "X_src" in leaves:
        emit("dX_source", None, key_tokens, numbered(d_model), leaves["X_src"].grad)

    # Masked scores get exactly zero gradient.
    mask = spec.get("mask")
    if mask is not None:
        for e in events:
            if e["name"] in ("dω_scaled", "dω"):
                for i in range(len(tokens)):
                    for j in range(len(key_tokens)):
                        hidden = j > i if mask == "causal" else mask["padding"][j]
                        if hidden:
                            assert e["values"][i, j] == 0.0, (e["name"], i, j)

    # Central finite differences of L for every leaf, in NumPy float64.
    worst = 0.0
    with torch.no_grad():
        for name, t in leaves.items():
            base = {k: v.detach().clone() for k, v in leaves.items()}
            flat = base[name].view(-1)
            fd = np.zeros(flat.numel())
            for index in range(flat.numel()):
                keep_value = float(flat[index])
                flat[index] = keep_value + FD_STEP
                up = float(loss(spec, base))
                flat[index] = keep_value - FD_STEP
                down = float(loss(spec, base))
                flat[index] = keep_value
                fd[index] = (up - down) / (2 * FD_STEP)
            diff = float(np.max(np.abs(fd - t.grad.numpy().reshape(-1))))
            assert diff <= FD_TOL, (name, diff)
            worst = max(worst, diff)
    return events, worst


# --------------------------------------------------------------------------------------
# Cases and files
# --------------------------------------------------------------------------------------


def projections(rng, d_model, width_qk, width_v, biases=False):
    out = {"W_Q": draw(rng, d_model, width_qk), "W_K": draw(rng, d_model, width_qk), "W_V": draw(rng, d_model, width_v)}
    if biases:
        out |= {"b_Q": draw(rng, width_qk), "b_K": draw(rng, width_qk), "b_V": draw(rng, width_v)}
    return out


def build_cases():
    cases = []

    def case(name, description, spec, out_width):
        rng = np.random.default_rng(900 + len(cases))
        spec["backward"] = {"dO": draw(rng, len(spec["tokens"]), out_width)}
        cases.append((name, description, spec))

    rng = np.random.default_rng(201)
    case("bw_single_head", "one head, d_k = d_v = 3, no mask, no W_O: dO is dL/dZ.",
         {"tokens": ["I", "am", "good"], "X": draw(rng, 3, 4), **projections(rng, 4, 3, 3)}, 3)
    rng = np.random.default_rng(202)
    case("bw_biases_causal", "biases, causal mask, W_O without b_O.",
         {"tokens": ["one", "two", "three", "four"], "X": draw(rng, 4, 4), **projections(rng, 4, 3, 2, biases=True),
          "W_O": draw(rng, 2, 4), "mask": "causal"}, 4)
    rng = np.random.default_rng(203)
    case("bw_multihead_padding", "2 heads, every bias, W_O and b_O, key 2 is padding.",
         {"tokens": ["hi", "there", "PAD", "you"], "X": draw(rng, 4, 6), **projections(rng, 6, 2 * 3, 2 * 2, biases=True),
          "heads": 2, "W_O": draw(rng, 4, 6), "b_O": draw(rng, 6), "mask": {"padding": [False, False, True, False]}}, 6)
    rng = np.random.default_rng(204)
    case("bw_cross_attention", "cross-attention, 2 heads, padding on the source, every bias, W_O and b_O.",
         {"tokens": ["je", "suis", "là"], "X": draw(rng, 3, 4), **projections(rng, 4, 2 * 2, 2 * 3, biases=True),
          "heads": 2, "W_O": draw(rng, 6, 4), "b_O": draw(rng, 4), "mask": {"padding": [False, False, False, True]},
          "source": {"tokens": ["I", "am", "here", "PAD"], "X": draw(rng, 4, 4)}}, 4)
    rng = np.random.default_rng(205)
    case("bw_three_heads_no_wo", "3 heads, no W_O: dO is dL/dZ_concat.",
         {"tokens": ["red", "green", "blue"], "X": draw(rng, 3, 6), **projections(rng, 6, 3 * 2, 3 * 2), "heads": 3}, 6)
    rng = np.random.default_rng(206)
    case("bw_unscaled", "scale: false and a causal mask: the softmax's gradient is dω itself.",
         {"tokens": ["a", "b", "c", "d"], "X": draw(rng, 4, 3), **projections(rng, 3, 2, 2), "scale": False,
          "mask": "causal"}, 2)
    rng = np.random.default_rng(207)
    case("bw_no_projection", "no projections, 2 heads, causal: dX gathers dQ + dK + dV per column block.",
         {"tokens": ["up", "down", "left"], "X": draw(rng, 3, 4), "heads": 2, "mask": "causal"}, 4)
    rng = np.random.default_rng(208)
    case("bw_no_projection_cross", "no projections, cross-attention, unscaled.",
         {"tokens": ["guten", "Tag"], "X": draw(rng, 2, 3), "scale": False,
          "source": {"tokens": ["good", "day", "sir"], "X": draw(rng, 3, 3)}}, 3)
    rng = np.random.default_rng(209)
    case("bw_positional", "sinusoidal positions, W_O and b_O.",
         {"tokens": ["to", "be", "or", "not"], "X": draw(rng, 4, 5), **projections(rng, 5, 3, 3), "W_O": draw(rng, 3, 5),
          "b_O": draw(rng, 5), "positional": "sinusoidal"}, 5)
    return cases


def write_trace(events) -> str:
    dump = lambda v: json.dumps(v, ensure_ascii=False)
    parts = []
    for e in events:
        rows = [dump([json_value(x) for x in row]) for row in e["values"]]
        parts.append(f'    {{"stage": "backward", "head": {dump(e["head"])}, "name": {dump(e["name"])},\n'
                     f'     "rows": {dump(e["rows"])},\n     "columns": {dump(e["columns"])},\n'
                     f'     "values": [\n' + ",\n".join("       " + r for r in rows) + "]}")
    return '{\n  "version": 2,\n  "events": [\n' + ",\n".join(parts) + "\n  ]\n}\n"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    worst = 0.0
    for name, description, spec in build_cases():
        backward = spec.pop("backward")
        text = write_yaml(name, description, spec).replace("make_fixtures.py", "make_backward_fixtures.py")
        text += "backward:\n" + "\n".join(yaml_matrix("dO", backward["dO"], "  ", False)) + "\n"
        spec["backward"] = backward
        check_yaml(text, spec, name)
        events, fd = expected_events(spec)
        worst = max(worst, fd)
        (OUT / f"{name}.yaml").write_text(text, encoding="utf-8")
        trace = write_trace(events)
        loaded = json.loads(trace)
        assert [e["name"] for e in loaded["events"]] == [e["name"] for e in events]
        (OUT / f"{name}.expected.json").write_text(trace, encoding="utf-8")
        print(f"{name}: {len(events)} gradient events; autograd vs finite differences max |Δ| = {fd:.2e}")
    print(f"torch {torch.__version__}: every leaf gradient agrees with central differences to {worst:.2e} (h = {FD_STEP})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
