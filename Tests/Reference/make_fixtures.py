#!/usr/bin/env python3
"""Reference fixtures for `attn`, computed independently of the Swift code.

Run from the repository root:

    python3 Tests/Reference/make_fixtures.py

Needs python3 with NumPy 2.x and PyYAML. It (re)writes

* ``Tests/Reference/fixtures/NAME.yaml``           an input spec, explicit numbers only (no seeds)
* ``Tests/Reference/fixtures/NAME.expected.json``  the expected trace of that spec
* ``Tests/Reference/splitmix64_vectors.json``      SplitMix64 / SeededDistribution vectors

The output is deterministic: running the script twice gives byte-identical files.
Inputs come from ``np.random.default_rng`` with a fixed seed per case, rounded to one
decimal so the YAML stays readable.  Every YAML file is read back with PyYAML and must
give exactly the intended tokens, numbers and options, and every JSON file is read back
and checked against the computed trace.

Cases
-----
basic_no_projection          3 tokens, d_model 4, no W_*: Q = K = V = X, scale: false
                             (the classic "basic self-attention"; X written as one flow line)
basic_no_projection_scaled   the same with scale: true (d_k = d_model = 4)
projection_scaled            4 tokens, d_model 4, d_k 3, d_v 2 (W_V narrower than W_Q);
                             `scale` omitted, so the default (true) is exercised
projection_unscaled          the same inputs with scale: false
biases                       4 tokens, d_model 4, d_k 3, d_v 3, with b_Q, b_K, b_V
causal_mask                  4 tokens with projections, mask: causal
padding_mask                 4 tokens with projections, mask: {padding: [false, false, true, false]}
multihead_wo                 2 heads, d_model 6, per-head d_k 3, d_v 2, with W_O (4×6) and b_O
multihead_3_heads_no_wo      3 heads, d_model 6, per-head d_k 2, d_v 2, no W_O: ends at Z_concat
multihead_no_projection      2 heads, no W_*: heads take consecutive column blocks of X
multihead_causal_biases      2 heads, b_Q/b_K/b_V, causal mask, W_O without b_O
multihead_pytorch_layout     2 heads, d_model 4, square W_Q/W_K/W_V/W_O, all biases, causal:
                             the layout torch.nn.MultiheadAttention can reproduce
cross_attention              3 query tokens, source of 5 tokens, projections d_k 3, d_v 2
cross_attention_padding      the same with mask.padding over the 5 source keys (block-style YAML)
positional                   positional: sinusoidal with d_model 5 (odd: last column is a sin
                             column), projections
cross_attention_positional   sinusoidal PE added to X and to source.X (X_pos, X_src_pos)
unicode_tokens               tokens [我, 想, 吃, 酸菜, 鱼] written as plain YAML scalars
hostile_tokens               tokens <script>, &, ", ', null, "a: #b" (quoted where YAML needs it)
large_scores                 X around 1e3, raw scores ~4e6: α must stay finite; includes an exact
                             tie (duplicate row), O(1) score gaps and a key that underflows to α = 0
single_token                 1 token: α = [[1]]

Numerics of the reference
-------------------------
The attention itself is the textbook computation, one head at a time.  To keep the expected
values independent of BLAS, thread count and CPU (so regenerating on another machine gives
the same bytes), every matrix product is computed as a correctly rounded sum of the rounded
products (``math.fsum``) instead of ``@``; ``exp``, ``sin``, ``cos`` and ``**`` are Python's
``math``/float operations (the platform libm).  An engine that uses dgemm will differ in the
last bits, so compare with a tolerance relative to the size of the numbers involved: about
1e-12 for these small fixtures, but for ``large_scores`` the scores are ~4e6, whose ulp is
~5e-10, so α there is only reproducible to roughly 1e-8 (absolute).

Negative zero in an expected value is written as 0.0.  A masked score is the JSON string
"-inf"; every other value is a finite JSON number written with ``repr`` precision.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"

# --------------------------------------------------------------------------------------
# The attention forward pass (reference)
# --------------------------------------------------------------------------------------


def matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A·B with each entry a correctly rounded sum of the (rounded) products."""
    assert A.shape[1] == B.shape[0], (A.shape, B.shape)
    return np.array(
        [[math.fsum(float(A[i, k]) * float(B[k, j]) for k in range(A.shape[1]))
          for j in range(B.shape[1])]
         for i in range(A.shape[0])],
        dtype=np.float64,
    ).reshape(A.shape[0], B.shape[1])


def softmax_rows(S: np.ndarray) -> np.ndarray:
    """Row-wise, numerically stable softmax; -inf entries get exactly 0."""
    out = np.empty_like(S)
    for i, row in enumerate(S):
        top = max(row)
        e = [math.exp(s - top) for s in row]  # exp(-inf) == 0.0
        total = math.fsum(e)
        out[i] = [x / total for x in e]
    return out


def sinusoidal(positions: int, d_model: int) -> np.ndarray:
    """PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d))."""
    pe = np.zeros((positions, d_model))
    for p in range(positions):
        for c in range(d_model):
            angle = p / 10000.0 ** ((c - c % 2) / d_model)
            pe[p, c] = math.sin(angle) if c % 2 == 0 else math.cos(angle)
    return pe


def numbered(k: int) -> list[str]:
    return [str(i) for i in range(k)]


def attention_trace(spec: dict) -> list[dict]:
    """The expected trace events of one spec, in the documented order."""
    events: list[dict] = []

    def emit(stage, head, name, rows, columns, values):
        values = np.asarray(values, dtype=np.float64)
        assert values.shape == (len(rows), len(columns)), (name, values.shape)
        events.append({"stage": stage, "head": head, "name": name,
                       "rows": list(rows), "columns": list(columns), "values": values})

    tokens = spec["tokens"]
    X = np.array(spec["X"], dtype=np.float64)
    n, d_model = X.shape
    emit("input", None, "X", tokens, numbered(d_model), X)

    source = spec.get("source")
    if source is not None:
        key_tokens = source["tokens"]
        X_src = np.array(source["X"], dtype=np.float64)
        emit("input", None, "X_src", key_tokens, numbered(d_model), X_src)
    else:
        key_tokens = tokens

    if spec.get("positional") == "sinusoidal":
        X = X + sinusoidal(n, d_model)
        emit("positional", None, "X_pos", tokens, numbered(d_model), X)
        if source is not None:
            X_src = X_src + sinusoidal(len(key_tokens), d_model)
            emit("positional", None, "X_src_pos", key_tokens, numbered(d_model), X_src)

    X_kv = X_src if source is not None else X  # where keys and values come from
    m = len(key_tokens)

    heads = spec.get("heads", 1)
    projected = "W_Q" in spec
    if projected:
        W_Q = np.array(spec["W_Q"], dtype=np.float64)
        W_K = np.array(spec["W_K"], dtype=np.float64)
        W_V = np.array(spec["W_V"], dtype=np.float64)
        d_k = W_Q.shape[1] // heads
        d_v = W_V.shape[1] // heads
    else:
        d_k = d_v = d_model // heads

    mask = spec.get("mask")
    if mask == "causal":
        masked = np.array([[j > i for j in range(m)] for i in range(n)])
    elif isinstance(mask, dict):
        masked = np.array([list(mask["padding"]) for _ in range(n)])
    else:
        assert mask is None, mask
        masked = None

    Z_heads = []
    for h in range(heads):
        qk = slice(h * d_k, (h + 1) * d_k)
        v = slice(h * d_v, (h + 1) * d_v)
        if projected:
            Q = matmul(X, W_Q[:, qk])
            K = matmul(X_kv, W_K[:, qk])
            V = matmul(X_kv, W_V[:, v])
            if "b_Q" in spec:
                Q = Q + np.array(spec["b_Q"])[qk]
            if "b_K" in spec:
                K = K + np.array(spec["b_K"])[qk]
            if "b_V" in spec:
                V = V + np.array(spec["b_V"])[v]
            emit("projection", h, "Q", tokens, numbered(d_k), Q)
            emit("projection", h, "K", key_tokens, numbered(d_k), K)
            emit("projection", h, "V", key_tokens, numbered(d_v), V)
        else:
            Q = X[:, qk]
            K = X_kv[:, qk]
            V = X_kv[:, v]

        omega = matmul(Q, K.T)
        emit("similarity", h, "ω", tokens, key_tokens, omega)
        scores = omega
        if spec.get("scale", True):
            scores = omega / math.sqrt(d_k)
            emit("scaling", h, "ω_scaled", tokens, key_tokens, scores)
        if masked is not None:
            scores = np.where(masked, -np.inf, scores)
            emit("masking", h, "ω_masked", tokens, key_tokens, scores)
        alpha = softmax_rows(scores)
        emit("normalization", h, "α", tokens, key_tokens, alpha)
        Z = matmul(alpha, V)
        emit("context", h, "Z", tokens, numbered(d_v), Z)
        Z_heads.append(Z)

    if heads > 1:
        Z_concat = np.concatenate(Z_heads, axis=1)
        emit("concat", None, "Z_concat", tokens, numbered(heads * d_v), Z_concat)
    else:
        Z_concat = Z_heads[0]

    if "W_O" in spec:
        W_O = np.array(spec["W_O"], dtype=np.float64)
        O = matmul(Z_concat, W_O)
        if "b_O" in spec:
            O = O + np.array(spec["b_O"])
        emit("output", None, "O", tokens, numbered(W_O.shape[1]), O)

    # Single-head specs: every per-head event has head 0 (already so, h == 0).
    return events


# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------


def clean(a) -> list:
    """Nested lists of Python floats with -0.0 turned into 0.0."""
    return (np.asarray(a, dtype=np.float64) + 0.0).tolist()


def draw(rng: np.random.Generator, *shape: int, low=-1.0, high=1.0, decimals=1) -> list:
    return clean(np.round(rng.uniform(low, high, size=shape), decimals))


def projections(rng, d_model, width_qk, width_v, biases=False) -> dict:
    out = {"W_Q": draw(rng, d_model, width_qk),
           "W_K": draw(rng, d_model, width_qk),
           "W_V": draw(rng, d_model, width_v)}
    if biases:
        out["b_Q"] = draw(rng, width_qk)
        out["b_K"] = draw(rng, width_qk)
        out["b_V"] = draw(rng, width_v)
    return out


def build_cases() -> list[tuple[str, str, dict, dict]]:
    """(name, description, spec, writer options)."""
    cases = []

    def case(name, description, spec, **options):
        cases.append((name, description, spec, options))

    basic = {"tokens": ["I", "am", "good"],
             "X": clean([[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]])}
    case("basic_no_projection",
         "Basic self-attention: no W_Q/W_K/W_V, so Q = K = V = X; no scaling.",
         {**basic, "scale": False}, flow_matrices=True)
    case("basic_no_projection_scaled",
         "Basic self-attention with scaling by sqrt(d_k), d_k = d_model = 4.",
         {**basic, "scale": True}, flow_matrices=True)

    rng = np.random.default_rng(101)
    proj = {"tokens": ["the", "cat", "sat", "down"], "X": draw(rng, 4, 4),
            **projections(rng, 4, 3, 2)}
    case("projection_scaled",
         "Projections with d_k = 3, d_v = 2 (W_V narrower than W_Q); scale omitted, default true.",
         proj)
    case("projection_unscaled",
         "Same inputs as projection_scaled, with scale: false.",
         {**proj, "scale": False})

    rng = np.random.default_rng(102)
    case("biases",
         "Projections with biases b_Q, b_K, b_V (d_k = d_v = 3).",
         {"tokens": ["we", "like", "red", "apples"], "X": draw(rng, 4, 4),
          **projections(rng, 4, 3, 3, biases=True)})

    rng = np.random.default_rng(103)
    case("causal_mask",
         "Causal mask: query i attends keys j <= i only.",
         {"tokens": ["one", "two", "three", "four"], "X": draw(rng, 4, 4),
          **projections(rng, 4, 3, 2), "mask": "causal"})

    rng = np.random.default_rng(104)
    case("padding_mask",
         "Padding mask over the keys: key 2 is padding, so column 2 of α is 0.",
         {"tokens": ["hi", "there", "PAD", "you"], "X": draw(rng, 4, 4),
          **projections(rng, 4, 3, 2), "mask": {"padding": [False, False, True, False]}},
         flow_mask=True)

    rng = np.random.default_rng(105)
    case("multihead_wo",
         "2 heads, d_model 6, per head d_k 3 and d_v 2; W_O (4×6) and b_O.",
         {"tokens": ["a", "small", "gray", "mouse"], "X": draw(rng, 4, 6),
          **projections(rng, 6, 2 * 3, 2 * 2), "heads": 2,
          "W_O": draw(rng, 2 * 2, 6), "b_O": draw(rng, 6)})

    rng = np.random.default_rng(106)
    case("multihead_3_heads_no_wo",
         "3 heads, d_model 6, per head d_k 2 and d_v 2; no W_O, so the trace ends at Z_concat.",
         {"tokens": ["red", "green", "blue"], "X": draw(rng, 3, 6),
          **projections(rng, 6, 3 * 2, 3 * 2), "heads": 3})

    rng = np.random.default_rng(107)
    case("multihead_no_projection",
         "2 heads without W_*: head 0 uses columns 0-1 of X, head 1 columns 2-3.",
         {"tokens": ["up", "down", "left"], "X": draw(rng, 3, 4), "heads": 2})

    rng = np.random.default_rng(108)
    case("multihead_causal_biases",
         "2 heads with biases, causal mask and W_O without b_O (d_k 2, d_v 3).",
         {"tokens": ["it", "was", "a", "dark", "night"], "X": draw(rng, 5, 4),
          **projections(rng, 4, 2 * 2, 2 * 3, biases=True), "heads": 2,
          "mask": "causal", "W_O": draw(rng, 2 * 3, 4)})

    rng = np.random.default_rng(115)
    case("multihead_pytorch_layout",
         "2 heads, d_model 4, square W_Q/W_K/W_V/W_O and all biases, causal mask: exactly the "
         "shape of torch.nn.MultiheadAttention(4, 2), used by torch_check.py.",
         {"tokens": ["where", "is", "the", "cat"], "X": draw(rng, 4, 4),
          **projections(rng, 4, 4, 4, biases=True), "heads": 2,
          "W_O": draw(rng, 4, 4), "b_O": draw(rng, 4), "mask": "causal"})

    rng = np.random.default_rng(109)
    cross = {"tokens": ["je", "suis", "là"], "X": draw(rng, 3, 4),
             **projections(rng, 4, 3, 2),
             "source": {"tokens": ["I", "am", "here", "right", "now"], "X": draw(rng, 5, 4)}}
    case("cross_attention",
         "Cross-attention: Q from X (3 tokens), K and V from source.X (5 tokens).",
         cross)
    case("cross_attention_padding",
         "Same inputs as cross_attention, with source keys 1 and 4 marked as padding.",
         {**cross, "mask": {"padding": [False, True, False, False, True]}})

    rng = np.random.default_rng(110)
    case("positional",
         "Sinusoidal positional encoding with odd d_model = 5 (column 4 is a sin column).",
         {"tokens": ["to", "be", "or", "not"], "X": draw(rng, 4, 5),
          **projections(rng, 5, 3, 3), "positional": "sinusoidal"})

    rng = np.random.default_rng(111)
    case("cross_attention_positional",
         "Cross-attention with sinusoidal PE added to both X and source.X (d_model 5).",
         {"tokens": ["guten", "Tag"], "X": draw(rng, 2, 5),
          **projections(rng, 5, 2, 3), "positional": "sinusoidal",
          "source": {"tokens": ["good", "day", "sir"], "X": draw(rng, 3, 5)}})

    rng = np.random.default_rng(112)
    case("unicode_tokens",
         "Chinese tokens (one of two characters) as plain YAML scalars.",
         {"tokens": ["我", "想", "吃", "酸菜", "鱼"], "X": draw(rng, 5, 4),
          **projections(rng, 4, 2, 2)})

    rng = np.random.default_rng(113)
    case("hostile_tokens",
         "Tokens that need HTML escaping or YAML quoting; no projections.",
         {"tokens": ["<script>", "&", '"', "'", "null", "a: #b"], "X": draw(rng, 6, 4)})

    case("large_scores",
         "X around 1e3, raw scores ~4e6: the stable softmax must keep α finite. Rows 0 and 3 "
         "are equal (exact ties); rows 0-3 differ by 0.01 (score gaps of a few units); row 4 "
         "is far away, so as a key it gets α = 0 exactly (underflow).",
         {"tokens": ["a", "b", "c", "a2", "far"],
          "X": clean([[1000, 1000, 1000, 1000],
                      [1000, 1000, 1000, 1000.01],
                      [999.99, 1000, 1000, 1000],
                      [1000, 1000, 1000, 1000],
                      [1000, 980, 1000, 1000]])})

    rng = np.random.default_rng(114)
    case("single_token",
         "One token: every α is [[1]] and Z = V.",
         {"tokens": ["alone"], "X": draw(rng, 1, 3), **projections(rng, 3, 2, 2)})

    return cases


# --------------------------------------------------------------------------------------
# Writing YAML specs
# --------------------------------------------------------------------------------------

PLAIN_TOKEN = re.compile(r"^[^\W\d_]\w*$")  # starts with a letter; letters, digits, _ only
# Plain scalars that YAML 1.1 or 1.2 would read as something other than a string.
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def yaml_string(s: str) -> str:
    if PLAIN_TOKEN.match(s) and s.lower() not in RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def yaml_number(x: float) -> str:
    x = float(x) + 0.0
    assert math.isfinite(x)
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = repr(x)
    assert re.fullmatch(r"-?\d+\.\d+", text), text  # YAML 1.1 floats need a dot, no bare exponent
    return text


def yaml_row(values) -> str:
    return "[" + ", ".join(yaml_number(v) for v in values) + "]"


def yaml_matrix(key: str, M, indent: str, flow: bool) -> list[str]:
    if flow:
        return [f"{indent}{key}: [" + ", ".join(yaml_row(r) for r in M) + "]"]
    return [f"{indent}{key}:"] + [f"{indent}  - {yaml_row(r)}" for r in M]


def yaml_tokens(key: str, tokens, indent: str) -> str:
    return f"{indent}{key}: [" + ", ".join(yaml_string(t) for t in tokens) + "]"


def write_yaml(name: str, description: str, spec: dict, flow_matrices=False, flow_mask=False) -> str:
    lines = [f"# {name}: {description}",
             "# Generated by Tests/Reference/make_fixtures.py; do not edit by hand."]
    lines.append(yaml_tokens("tokens", spec["tokens"], ""))
    lines += yaml_matrix("X", spec["X"], "", flow_matrices)
    for key in ("W_Q", "W_K", "W_V"):
        if key in spec:
            lines += yaml_matrix(key, spec[key], "", flow_matrices)
    for key in ("b_Q", "b_K", "b_V"):
        if key in spec:
            lines.append(f"{key}: {yaml_row(spec[key])}")
    if "heads" in spec:
        lines.append(f"heads: {spec['heads']}")
    if "W_O" in spec:
        lines += yaml_matrix("W_O", spec["W_O"], "", flow_matrices)
    if "b_O" in spec:
        lines.append(f"b_O: {yaml_row(spec['b_O'])}")
    if "scale" in spec:
        lines.append(f"scale: {'true' if spec['scale'] else 'false'}")
    mask = spec.get("mask")
    if mask == "causal":
        lines.append("mask: causal")
    elif mask is not None:
        flags = "[" + ", ".join("true" if b else "false" for b in mask["padding"]) + "]"
        if flow_mask:
            lines.append(f"mask: {{padding: {flags}}}")
        else:
            lines += ["mask:", f"  padding: {flags}"]
    if "source" in spec:
        lines.append("source:")
        lines.append(yaml_tokens("tokens", spec["source"]["tokens"], "  "))
        lines += yaml_matrix("X", spec["source"]["X"], "  ", flow_matrices)
    if "positional" in spec:
        lines.append(f"positional: {spec['positional']}")
    known = {"tokens", "X", "W_Q", "W_K", "W_V", "b_Q", "b_K", "b_V", "heads", "W_O", "b_O",
             "scale", "mask", "source", "positional"}
    assert set(spec) <= known, set(spec) - known
    return "\n".join(lines) + "\n"


def check_yaml(text: str, spec: dict, name: str) -> None:
    """PyYAML must read back exactly the intended spec (strings stay strings, numbers equal)."""
    loaded = yaml.safe_load(text)

    def same(a, b):
        if isinstance(b, bool):
            return a is b
        if isinstance(b, str):
            return isinstance(a, str) and a == b
        if isinstance(b, (int, float)):
            return isinstance(a, (int, float)) and not isinstance(a, bool) and float(a) == float(b)
        if isinstance(b, list):
            return isinstance(a, list) and len(a) == len(b) and all(map(same, a, b))
        if isinstance(b, dict):
            return isinstance(a, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in b)
        raise TypeError(type(b))

    assert same(loaded, spec), f"{name}.yaml does not read back as its spec"


# --------------------------------------------------------------------------------------
# Writing expected traces
# --------------------------------------------------------------------------------------


def json_value(x: float):
    x = float(x) + 0.0  # no negative zero
    if x == -math.inf:
        return "-inf"
    assert math.isfinite(x), x
    return x


def write_trace(events: list[dict]) -> str:
    dump = lambda v: json.dumps(v, ensure_ascii=False)  # floats use repr: round-trip exact
    parts = []
    for e in events:
        rows = [dump([json_value(x) for x in row]) for row in e["values"]]
        head = (f'    {{"stage": {dump(e["stage"])}, "head": {dump(e["head"])}, '
                f'"name": {dump(e["name"])},\n'
                f'     "rows": {dump(e["rows"])},\n'
                f'     "columns": {dump(e["columns"])},\n'
                f'     "values": [\n')
        parts.append(head + ",\n".join("       " + r for r in rows) + "]}")
    return '{\n  "version": 1,\n  "events": [\n' + ",\n".join(parts) + "\n  ]\n}\n"


def check_trace(text: str, events: list[dict], name: str) -> None:
    loaded = json.loads(text)
    assert list(loaded) == ["version", "events"] and loaded["version"] == 1
    assert len(loaded["events"]) == len(events)
    for got, want in zip(loaded["events"], events):
        assert list(got) == ["stage", "head", "name", "rows", "columns", "values"], name
        for key in ("stage", "head", "name", "rows", "columns"):
            assert got[key] == want[key], (name, key)
        back = np.array([[-np.inf if v == "-inf" else v for v in row] for row in got["values"]],
                        dtype=np.float64).reshape(want["values"].shape)
        assert np.array_equal(back, want["values"] + 0.0), (name, want["name"])
        if want["name"] == "α":
            assert np.all(np.isfinite(back)), name
            assert np.allclose(back.sum(axis=1), 1.0, rtol=0, atol=1e-15), name


# --------------------------------------------------------------------------------------
# SplitMix64 and SeededDistribution (mirrors Sources/AttentionEngine/SeededValues.swift)
# --------------------------------------------------------------------------------------

MASK64 = 0xFFFFFFFFFFFFFFFF


class SplitMix64:
    def __init__(self, seed: int):
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def next_unit(self) -> float:
        return float(self.next() >> 11) * 2.0 ** -53  # both steps exact


def round_half_away_from_zero(x: float) -> float:
    """Swift's x.rounded(.toNearestOrAwayFromZero), i.e. C round(), exactly.

    floor(|x| + 0.5) is NOT the same (0.49999999999999994 + 0.5 rounds up to 1.0),
    so compare the exact fractional part |x| - floor(|x|) with 0.5 instead.
    """
    if not math.isfinite(x):
        return x
    a = abs(x)
    f = float(math.floor(a))
    r = f + 1.0 if a - f >= 0.5 else f  # a - f is exact for a >= 0
    return math.copysign(r, x)


def seeded_matrix(seed: int, low: float, high: float, decimals: int | None,
                  rows: int, columns: int) -> list[list[float]]:
    gen = SplitMix64(seed)
    power = None
    if decimals is not None:
        power = 1.0
        for _ in range(decimals):
            power *= 10
    width = high - low
    out = []
    for _ in range(rows):
        row = []
        for _ in range(columns):
            value = low + width * gen.next_unit()  # no fused multiply-add, like Swift
            if power is not None:
                value = round_half_away_from_zero(value * power) / power
                if value == 0:
                    value = 0.0  # no negative zero
            row.append(value)
        out.append(row)
    return out


def self_test_rounding() -> None:
    """Check round_half_away_from_zero against libm's round() where ctypes can reach it."""
    edge = [0.5, 1.5, 2.5, -0.5, -1.5, 0.49999999999999994, -0.49999999999999994,
            4503599627370495.5, 4503599627370497.0, 2.0 ** 53 + 2, 1e300, -0.0, 0.0, -0.4]
    for x, want in [(0.5, 1.0), (-0.5, -1.0), (2.5, 3.0), (0.49999999999999994, 0.0),
                    (4503599627370495.5, 4503599627370496.0)]:
        assert round_half_away_from_zero(x) == want, x
    try:
        import ctypes
        import ctypes.util
        libm = ctypes.CDLL(ctypes.util.find_library("m"))
        libm.round.restype = ctypes.c_double
        libm.round.argtypes = [ctypes.c_double]
    except (OSError, AttributeError, TypeError):
        return
    rng = np.random.default_rng(0)
    samples = edge + list(rng.uniform(-20, 20, 20000)) + [k / 20 for k in range(-400, 401)]
    for x in samples:
        x = float(x)
        assert math.copysign(1, round_half_away_from_zero(x)) == math.copysign(1, libm.round(x))
        assert round_half_away_from_zero(x) == libm.round(x), x


def splitmix_vectors() -> dict:
    seeds = [0, 1, 42, 2 ** 64 - 1]
    generators = []
    for seed in seeds:
        raw_gen, unit_gen = SplitMix64(seed), SplitMix64(seed)
        generators.append({
            "seed": str(seed),
            "next": [str(raw_gen.next()) for _ in range(5)],
            "nextUnit": [unit_gen.next_unit() for _ in range(5)],
        })
    distributions = []
    for seed, low, high, decimals, rows, columns in [(7, -1.0, 1.0, 1, 3, 4),
                                                     (7, -0.5, 0.5, None, 2, 3)]:
        distributions.append({
            "seed": str(seed), "low": low, "high": high, "decimals": decimals,
            "rows": rows, "columns": columns,
            "values": seeded_matrix(seed, low, high, decimals, rows, columns),
        })
    return {
        "version": 1,
        "description": (
            "SplitMix64 as documented in Sources/AttentionEngine/SeededValues.swift. "
            "Seeds and raw UInt64 outputs are decimal strings (they exceed 2^53). "
            "'next' is the first 5 next() outputs of SplitMix64(seed: seed); 'nextUnit' is the "
            "first 5 nextUnit() values of a fresh SplitMix64(seed: seed). 'distributions' are "
            "SeededDistribution(seed:low:high:decimals:).matrix(rows:columns:), row by row; "
            "decimals null means no rounding. Generated by Tests/Reference/make_fixtures.py."
        ),
        "generators": generators,
        "distributions": distributions,
    }


def write_splitmix(data: dict) -> str:
    dump = lambda v: json.dumps(v, ensure_ascii=False)
    gens = ",\n".join(
        f'    {{"seed": {dump(g["seed"])},\n'
        f'     "next": {dump(g["next"])},\n'
        f'     "nextUnit": {dump(g["nextUnit"])}}}' for g in data["generators"])
    dists = ",\n".join(
        f'    {{"seed": {dump(d["seed"])}, "low": {dump(d["low"])}, "high": {dump(d["high"])}, '
        f'"decimals": {dump(d["decimals"])}, "rows": {d["rows"]}, "columns": {d["columns"]},\n'
        f'     "values": [\n' + ",\n".join("       " + dump(r) for r in d["values"]) + "]}"
        for d in data["distributions"])
    text = (f'{{\n  "version": 1,\n  "description": {dump(data["description"])},\n'
            f'  "generators": [\n{gens}\n  ],\n  "distributions": [\n{dists}\n  ]\n}}\n')
    assert json.loads(text) == data
    return text


# --------------------------------------------------------------------------------------


def main() -> None:
    # Published SplitMix64 reference: seed 0 starts 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4.
    g = SplitMix64(0)
    assert (g.next(), g.next()) == (0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4)
    self_test_rounding()

    FIXTURES.mkdir(parents=True, exist_ok=True)
    cases = build_cases()
    names = [c[0] for c in cases]
    assert len(set(names)) == len(names)
    for name, description, spec, options in cases:
        spec_text = write_yaml(name, description, spec, **options)
        check_yaml(spec_text, spec, name)
        # Compute from what the YAML says, not from the in-memory spec.
        events = attention_trace(yaml.safe_load(spec_text))
        trace_text = write_trace(events)
        check_trace(trace_text, events, name)
        (FIXTURES / f"{name}.yaml").write_text(spec_text, encoding="utf-8")
        (FIXTURES / f"{name}.expected.json").write_text(trace_text, encoding="utf-8")

    (HERE / "splitmix64_vectors.json").write_text(write_splitmix(splitmix_vectors()),
                                                  encoding="utf-8")
    print(f"wrote {len(cases)} fixture pairs to {FIXTURES} and splitmix64_vectors.json")


if __name__ == "__main__":
    main()
