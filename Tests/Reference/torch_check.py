#!/usr/bin/env python3
"""Cross-check the NumPy fixtures against PyTorch (not run in CI).

Run from the repository root, after make_fixtures.py:

    pip install torch pyyaml
    python3 Tests/Reference/torch_check.py

For every fixture in Tests/Reference/fixtures that has projections (W_Q, W_K, W_V) and no
positional encoding, this recomputes the trace in float64 with PyTorch and compares it with
NAME.expected.json:

* manual torch ops (matmul, softmax) for every head: Q, K, V, ω, ω_scaled, ω_masked, α, Z,
  and Z_concat / O;
* torch.nn.functional.scaled_dot_product_attention for every head's Z;
* torch.nn.MultiheadAttention where the spec has exactly its shape (W_Q, W_K, W_V and W_O all
  d_model × d_model, scale on): our row convention maps to its parameters as
  in_proj_weight = [W_Q; W_K; W_V] transposed blockwise (our W_Q = in_proj_weight[:E].T),
  in_proj_bias = [b_Q, b_K, b_V], out_proj.weight = W_O.T, out_proj.bias = b_O; its per-head
  attention weights are compared with α and its output with O.

Values must agree within 1e-12 · max(1, |expected|). Exit status 0 when everything agrees.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOL = 1e-12
DT = torch.float64


def tensor(values) -> torch.Tensor:
    return torch.tensor(values, dtype=DT)


def expected_value(v) -> float:
    return -math.inf if v == "-inf" else float(v)


class Checker:
    def __init__(self, name: str, events: list[dict]):
        self.name = name
        self.by_key = {(e["name"], e["head"]): e for e in events}
        self.used: set = set()
        self.failures: list[str] = []
        self.comparisons = 0

    def compare(self, name: str, head, got: torch.Tensor, via: str = "manual") -> None:
        key = (name, head)
        event = self.by_key.get(key)
        if event is None:
            self.failures.append(f"{self.name}: no expected event {key} ({via})")
            return
        self.used.add(key)
        want = torch.tensor([[expected_value(v) for v in row] for row in event["values"]], dtype=DT)
        got = got.detach().to(DT)
        if got.shape != want.shape:
            self.failures.append(f"{self.name}: {key} shape {tuple(got.shape)} != {tuple(want.shape)} ({via})")
            return
        same_inf = torch.isinf(want) == torch.isinf(got)
        finite = ~torch.isinf(want)
        err = (got[finite] - want[finite]).abs()
        bound = TOL * torch.clamp(want[finite].abs(), min=1.0)
        self.comparisons += 1
        if not bool(same_inf.all()) or not bool((err <= bound).all()):
            worst = float(err.max()) if err.numel() else float("nan")
            self.failures.append(f"{self.name}: {key} differs ({via}), max |Δ| = {worst:.3g}")


def check_fixture(path: Path) -> Checker | None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "W_Q" not in spec or "positional" in spec or path.name.startswith("variant_"):
        return None  # variant_*: torch_check_variants.py
    name = path.name[: -len(".yaml")]
    trace = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    c = Checker(name, trace["events"])

    X = tensor(spec["X"])
    X_kv = tensor(spec["source"]["X"]) if "source" in spec else X
    n, d_model = X.shape
    m = X_kv.shape[0]
    heads = spec.get("heads", 1)
    W_Q, W_K, W_V = tensor(spec["W_Q"]), tensor(spec["W_K"]), tensor(spec["W_V"])
    b_Q = tensor(spec.get("b_Q", [0.0] * W_Q.shape[1]))
    b_K = tensor(spec.get("b_K", [0.0] * W_K.shape[1]))
    b_V = tensor(spec.get("b_V", [0.0] * W_V.shape[1]))
    d_k, d_v = W_Q.shape[1] // heads, W_V.shape[1] // heads
    scale = spec.get("scale", True)

    mask = spec.get("mask")
    if mask == "causal":
        blocked = torch.triu(torch.ones(n, m, dtype=torch.bool), diagonal=1)
    elif isinstance(mask, dict):
        blocked = torch.tensor(mask["padding"], dtype=torch.bool).expand(n, m)
    else:
        blocked = None

    c.compare("X", None, X)
    if "source" in spec:
        c.compare("X_src", None, X_kv)

    Q_all = X @ W_Q + b_Q
    K_all = X_kv @ W_K + b_K
    V_all = X_kv @ W_V + b_V
    Z_heads = []
    for h in range(heads):
        Q = Q_all[:, h * d_k:(h + 1) * d_k]
        K = K_all[:, h * d_k:(h + 1) * d_k]
        V = V_all[:, h * d_v:(h + 1) * d_v]
        c.compare("Q", h, Q)
        c.compare("K", h, K)
        c.compare("V", h, V)
        omega = Q @ K.T
        c.compare("ω", h, omega)
        scores = omega
        if scale:
            scores = omega / math.sqrt(d_k)
            c.compare("ω_scaled", h, scores)
        if blocked is not None:
            scores = scores.masked_fill(blocked, -math.inf)
            c.compare("ω_masked", h, scores)
        alpha = torch.softmax(scores, dim=-1)
        c.compare("α", h, alpha)
        Z = alpha @ V
        c.compare("Z", h, Z)
        Z_heads.append(Z)

        # The same head through PyTorch's fused entry point (attn_mask: True = may attend).
        Z_sdpa = F.scaled_dot_product_attention(
            Q[None], K[None], V[None],
            attn_mask=None if blocked is None else ~blocked[None],
            scale=None if scale else 1.0)[0]
        c.compare("Z", h, Z_sdpa, via="scaled_dot_product_attention")

    Z_concat = torch.cat(Z_heads, dim=1)
    if heads > 1:
        c.compare("Z_concat", None, Z_concat)
    if "W_O" in spec:
        W_O = tensor(spec["W_O"])
        b_O = tensor(spec.get("b_O", [0.0] * W_O.shape[1]))
        c.compare("O", None, Z_concat @ W_O + b_O)

        square = all(W.shape == (d_model, d_model) for W in (W_Q, W_K, W_V, W_O))
        if square and scale:
            mha = torch.nn.MultiheadAttention(d_model, heads, bias=True, batch_first=True,
                                              dtype=DT)
            with torch.no_grad():
                mha.in_proj_weight.copy_(torch.cat([W_Q.T, W_K.T, W_V.T], dim=0))
                mha.in_proj_bias.copy_(torch.cat([b_Q, b_K, b_V]))
                mha.out_proj.weight.copy_(W_O.T)
                mha.out_proj.bias.copy_(b_O)
            mha.eval()
            kwargs = {}
            if mask == "causal":
                kwargs["attn_mask"] = blocked  # MultiheadAttention: True = NOT allowed
            elif isinstance(mask, dict):
                kwargs["key_padding_mask"] = torch.tensor(mask["padding"])[None]
            with torch.no_grad():
                out, weights = mha(X[None], X_kv[None], X_kv[None], need_weights=True,
                                   average_attn_weights=False, **kwargs)
            c.compare("O", None, out[0], via="nn.MultiheadAttention")
            for h in range(heads):
                c.compare("α", h, weights[0, h], via="nn.MultiheadAttention")

    missing = [k for k in c.by_key if k not in c.used]
    if missing:
        c.failures.append(f"{name}: expected events not checked: {missing}")
    return c


def main() -> int:
    paths = sorted(FIXTURES.glob("*.yaml"))
    if not paths:
        print("no fixtures: run python3 Tests/Reference/make_fixtures.py first")
        return 1
    failures, checked, skipped = [], 0, []
    for path in paths:
        c = check_fixture(path)
        if c is None:
            skipped.append(path.stem)
            continue
        checked += 1
        status = "ok" if not c.failures else "FAIL"
        print(f"{status:4s} {c.name}  ({c.comparisons} comparisons)")
        failures += c.failures
    print(f"skipped (no projections, positional, or a variant_ fixture): {', '.join(skipped)}")
    for f in failures:
        print("FAIL", f)
    print(f"torch {torch.__version__}: {checked} fixtures checked, "
          f"{'all agree within 1e-12' if not failures else f'{len(failures)} mismatches'}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
