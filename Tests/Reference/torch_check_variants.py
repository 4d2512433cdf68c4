#!/usr/bin/env python3
"""Cross-check the variant fixtures (make_variant_fixtures.py) against PyTorch (not run by
`swift test`, which reads the committed fixtures only).

Run from the repository root, with CPU torch in the repository's venv:

    scripts/install-deps.sh --python test && .build/venv/bin/pip install torch
    .build/venv/bin/python Tests/Reference/torch_check_variants.py

For every Tests/Reference/fixtures/variant_*.yaml, in float64:

* Q, K, V per head and, with RoPE, Q_rot and K_rot: RoPE computed the PyTorch way,
  adjacent pairs with torch.view_as_complex / torch.polar (as RoFormer and Meta's Llama code),
  halves with rotate_half and cos/sin tables (as Hugging Face's Llama);
* every head's Z through torch.nn.functional.scaled_dot_product_attention, all heads in one
  call: with kv_heads, K and V carry g heads and enable_gqa=True; the mask is a boolean
  attn_mask (True = may attend) built for causal or the sliding window. This is the final Z of
  a decode (KV cache) or tiled spec too: both must equal plain attention;
* each decode step's z_t against SDPA's row t, and each step's α_t against torch.softmax;
* the tiled trace's last online step: m_new = the row's max score, ℓ_new = Σ exp(s − m)
  (torch.logsumexp), and the last o / ℓ_new = z;
* Z_concat and O.

Values must agree within 1e-12 · max(1, |expected|) (the issue asks 1e-9). Exit status 0
when everything agrees.
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


def t(values) -> torch.Tensor:
    return torch.tensor(values, dtype=DT)


def value(v) -> float:
    return -math.inf if v == "-inf" else float(v)


def rope_adjacent(x: torch.Tensor, base: float) -> torch.Tensor:
    n, d = x.shape
    freqs = 1.0 / (base ** (torch.arange(0, d, 2, dtype=DT) / d))
    angles = torch.outer(torch.arange(n, dtype=DT), freqs)
    rotation = torch.polar(torch.ones_like(angles), angles)
    pairs = torch.view_as_complex(x.reshape(n, d // 2, 2).contiguous())
    return torch.view_as_real(pairs * rotation).reshape(n, d)


def rope_half(x: torch.Tensor, base: float) -> torch.Tensor:
    n, d = x.shape
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=DT) / d))
    freqs = torch.outer(torch.arange(n, dtype=DT), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    x1, x2 = x[:, : d // 2], x[:, d // 2:]
    return x * emb.cos() + torch.cat((-x2, x1), dim=-1) * emb.sin()


class Checker:
    def __init__(self, name, events):
        self.name, self.failures, self.comparisons = name, [], 0
        self.events = events

    def find(self, name, head, row=None):
        for e in self.events:
            if e["name"] == name and e["head"] == head and (row is None or e["rows"] == [row]):
                return e
        return None

    def compare(self, name, head, got, via, row=None):
        e = self.find(name, head, row)
        if e is None:
            self.failures.append(f"{self.name}: no event {name} head {head} {row or ''} ({via})")
            return
        want = torch.tensor([[value(v) for v in r] for r in e["values"]], dtype=DT)
        got = got.detach().to(DT).reshape(want.shape)
        finite = ~torch.isinf(want)
        err = (got[finite] - want[finite]).abs()
        self.comparisons += 1
        if not bool((torch.isinf(got) == torch.isinf(want)).all()) or not bool((err <= TOL * want[finite].abs().clamp(min=1)).all()):
            self.failures.append(f"{self.name}: {name} head {head} {row or ''} differs ({via}), max |Δ| = {float(err.max()):.3g}")


def check(path: Path) -> Checker:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = path.stem
    c = Checker(name, json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))["events"])
    tokens = spec["tokens"]
    X = t(spec["X"])
    n = X.shape[0]
    H = spec.get("heads", 1)
    g = spec.get("kv_heads", H)
    W_Q, W_K, W_V = t(spec["W_Q"]), t(spec["W_K"]), t(spec["W_V"])
    d_k, d_v = W_Q.shape[1] // H, W_V.shape[1] // g
    Q = X @ W_Q + t(spec.get("b_Q", [0.0] * W_Q.shape[1]))
    K = X @ W_K + t(spec.get("b_K", [0.0] * W_K.shape[1]))
    V = X @ W_V + t(spec.get("b_V", [0.0] * W_V.shape[1]))
    Qh = Q.reshape(n, H, d_k).transpose(0, 1)          # (H, n, d_k)
    Kh = K.reshape(n, g, d_k).transpose(0, 1)          # (g, n, d_k)
    Vh = V.reshape(n, g, d_v).transpose(0, 1)          # (g, n, d_v)
    for h in range(H):
        kv = h // (H // g)
        c.compare("Q", h, Qh[h], "X @ W_Q")
        c.compare("K", h, Kh[kv], "X @ W_K, K/V head %d" % kv)
        c.compare("V", h, Vh[kv], "X @ W_V")
    positional = spec.get("positional")
    if positional is not None:
        pairing = "adjacent" if positional == "rope" else positional["rope"]
        base = 10000.0 if positional == "rope" else float(positional.get("base", 10000))
        turn = rope_adjacent if pairing == "adjacent" else rope_half
        Qh = torch.stack([turn(q, base) for q in Qh])
        Kh = torch.stack([turn(k, base) for k in Kh])
        for h in range(H):
            c.compare("Q_rot", h, Qh[h], f"RoPE {pairing} in torch")
            c.compare("K_rot", h, Kh[h // (H // g)], f"RoPE {pairing} in torch")

    mask = spec.get("mask")
    i = torch.arange(n)[:, None]
    j = torch.arange(n)[None, :]
    allowed = None
    if mask == "causal":
        allowed = j <= i
    elif isinstance(mask, dict):
        allowed = (j <= i) & (i - j < mask["window"])
    Z = F.scaled_dot_product_attention(Qh[None], Kh[None], Vh[None], attn_mask=allowed,
                                       enable_gqa=g != H)[0]       # (H, n, d_v)
    for h in range(H):
        c.compare("Z", h, Z[h], "scaled_dot_product_attention" + (", enable_gqa" if g != H else ""))

    if "decode" in spec:
        for h in range(H):
            kv = h // (H // g)
            for step in range(spec["decode"]["prefill"], n):
                keys = allowed[step].nonzero().flatten()
                scores = Qh[h, step] @ Kh[kv, keys].T / math.sqrt(d_k)
                c.compare("α_t", h, torch.softmax(scores, dim=-1)[None], "torch.softmax", row=tokens[step])
                c.compare("z_t", h, Z[h, step][None], "SDPA row", row=tokens[step])
    if "tiles" in spec:
        for h in range(H):
            kv = h // (H // g)
            scores = Qh[h, n - 1] @ Kh[kv].T / math.sqrt(d_k)
            if allowed is not None:
                scores = scores.masked_fill(~allowed[n - 1], -math.inf)
            online = c.find("online", h)
            o = c.find("o", h)
            m_last, l_last = online["values"][-1][2], online["values"][-1][6]
            c.comparisons += 1
            top = float(scores.max())
            l_ref = float(torch.exp(torch.logsumexp(scores, 0) - top))
            z_from_o = t(o["values"][-1]) / l_last
            if abs(m_last - top) > TOL * max(1, abs(top)) or abs(l_last - l_ref) > TOL * max(1, l_ref) \
                    or not bool(((z_from_o - Z[h, n - 1]).abs() <= TOL).all()):
                c.failures.append(f"{name}: head {h} online softmax's last step disagrees with torch")

    Zc = torch.cat(list(Z), dim=1)
    if H > 1:
        c.compare("Z_concat", None, Zc, "torch.cat")
    if "W_O" in spec:
        c.compare("O", None, Zc @ t(spec["W_O"]) + t(spec.get("b_O", [0.0] * len(spec["W_O"][0]))), "Z_concat @ W_O")
    return c


def main() -> int:
    paths = sorted(FIXTURES.glob("variant_*.yaml"))
    if not paths:
        print("no variant fixtures: run Tests/Reference/make_variant_fixtures.py first")
        return 1
    failures = []
    for path in paths:
        c = check(path)
        print(f"{'ok' if not c.failures else 'FAIL':4s} {c.name}  ({c.comparisons} comparisons)")
        failures += c.failures
    for f in failures:
        print("FAIL", f)
    print(f"torch {torch.__version__}: {len(paths)} variant fixtures, "
          f"{'all agree within 1e-12' if not failures else f'{len(failures)} mismatches'}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
