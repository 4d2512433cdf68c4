#!/usr/bin/env python3
"""Checks that `attn trace --format json` still computes what it should, after engine
changes made for speed.

usage: python3 bench/check_fixtures.py [--attn .build/release/attn]
           [--save DIR | --against DIR] [--bench-specs [128,512]]

Always: every Tests/Reference/fixtures/NAME.yaml traced and compared with NAME.expected.json
  (same events, names, labels and shapes; values within |a − b| ≤ 1e-12 + 1e-12·max(|a|, |b|),
  1e-8 absolute for large_scores, as Tests/EngineTests/FixtureTests.swift does).
--save DIR      also write the traces of the fixtures, examples/*.yaml and (with
                --bench-specs) bench/specs/bertL.yaml to DIR, to compare a later build with.
--against DIR   compare the same traces with those saved in DIR (same tolerance): what an
                engine change may alter is rounding only.
--bench-specs   include bench/specs/bertL.yaml for these L (default 128; 12 heads, d_model 768:
                the large BLAS paths the small fixtures do not reach;
                L = 512 writes ~265 MB of JSON).
Exit status 1 on any difference. Standard library only.
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, "Tests", "Reference", "fixtures")


def trace(attn, spec):
    done = subprocess.run([attn, "trace", spec, "--format", "json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("check: attn trace %s failed:\n%s" % (spec, done.stderr))
    return json.loads(done.stdout)


def number(v):
    return float(v) if isinstance(v, str) else v     # "-inf", "inf", "nan" are strings


def compare(got, want, absolute, relative=1e-12, all_keys=False):
    """Returns (problems, worst): worst is the largest |a − b| / (absolute + relative·max(|a|, |b|)),
    the share of the tolerance used (above 1 fails). With all_keys, keys only `got` has
    must match too (an expected fixture lists only the keys it pins down)."""
    problems, worst = [], 0.0
    ge, we = got["events"], want["events"]
    if len(ge) != len(we):
        return ["%d events, expected %d" % (len(ge), len(we))], worst
    for k, (g, w) in enumerate(zip(ge, we)):
        where = "event %d (%s, head %s, %s)" % (k, w.get("stage"), w.get("head"), w.get("name"))
        for key in sorted(set(w) | set(g) if all_keys else set(w)):
            if key != "values" and g.get(key) != w.get(key):
                problems.append("%s: %s is %r, expected %r" % (where, key, g.get(key), w.get(key)))
        gv, wv = g.get("values", []), w.get("values", [])
        if len(gv) != len(wv) or any(len(a) != len(b) for a, b in zip(gv, wv)):
            problems.append("%s: shape differs" % where)
            continue
        for i, (grow, wrow) in enumerate(zip(gv, wv)):
            for j, (a, b) in enumerate(zip(grow, wrow)):
                x, y = number(a), number(b)
                if x == y or (math.isnan(x) and math.isnan(y)):
                    continue
                diff = abs(x - y)
                tolerance = absolute + relative * max(abs(x), abs(y))
                if math.isfinite(diff):
                    worst = max(worst, diff / tolerance)
                if not diff <= tolerance:
                    if len(problems) < 20:
                        problems.append("%s [%d][%d]: %r, expected %r" % (where, i, j, a, b))
    return problems, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attn", default=os.path.join(ROOT, ".build", "release", "attn"))
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save", metavar="DIR")
    group.add_argument("--against", metavar="DIR")
    parser.add_argument("--bench-specs", nargs="?", const="128", default=None, metavar="L,L",
                        type=lambda s: [int(x) for x in s.split(",")])
    args = parser.parse_args()

    failed = 0
    worst = 0.0          # against the expected fixtures
    worst_saved = 0.0    # against the saved traces
    fixtures = sorted(glob.glob(os.path.join(FIXTURES, "*.yaml")))
    if not fixtures:
        raise SystemExit("check: no fixtures in %s" % FIXTURES)
    traces = {}
    for spec in fixtures:
        name = os.path.basename(spec)[:-len(".yaml")]
        got = trace(args.attn, spec)
        traces["fixture-" + name] = got
        with open(os.path.join(FIXTURES, name + ".expected.json")) as f:
            want = json.load(f)
        problems, w = compare(got, want, 1e-8 if name == "large_scores" else 1e-12)
        worst = max(worst, w)
        print("%-40s %s" % ("fixture " + name, "ok" if not problems else "DIFFERS"))
        for p in problems:
            print("    " + p)
        failed += bool(problems)

    if args.save or args.against:
        others = sorted(glob.glob(os.path.join(ROOT, "examples", "*.yaml")))
        if args.bench_specs:
            sys.path.insert(0, HERE)
            import make_specs
            others += [make_specs.write(L) for L in args.bench_specs]
        for spec in others:
            traces[os.path.basename(spec)[:-len(".yaml")]] = trace(args.attn, spec)
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        for name, t in traces.items():
            with open(os.path.join(args.save, name + ".json"), "w") as f:
                json.dump(t, f)
        print("saved %d traces to %s" % (len(traces), args.save))
    if args.against:
        for name, got in traces.items():
            path = os.path.join(args.against, name + ".json")
            if not os.path.exists(path):
                print("%-40s not saved in %s" % (name, args.against))
                failed += 1
                continue
            with open(path) as f:
                want = json.load(f)
            problems, w = compare(got, want, 1e-8 if name == "fixture-large_scores" else 1e-12, all_keys=True)
            worst_saved = max(worst_saved, w)
            print("%-40s %s" % ("same as saved: " + name, "ok" if not problems else "DIFFERS"))
            for p in problems:
                print("    " + p)
            failed += bool(problems)

    print("largest difference from the expected fixtures: %.3g of the tolerance" % worst)
    if args.against:
        print("largest difference from the saved traces: %.3g of the tolerance" % worst_saved)
    print("%s" % ("all ok" if not failed else "%d DIFFER" % failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
