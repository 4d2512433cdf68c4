#!/usr/bin/env python3
"""`make bench`: attn beside its reference peers, timed in the same run on the same machine.

usage: python3 bench/run.py [--sizes 128,512,2048] [--rounds 3] [--runs 5] [--repeats R]
                            [--bin-dir .build/release] [--numpy bench/peers/numpy_attention.py]
                            [--only attention|long] [--long-sizes 2048,…,16384] [--long-runs 1]
                            [--keep-heap]

Section "attention": a BERT-base sized layer (d_model 768, 12 heads, W_O, float64, every
stage recorded) at L = 128, 512 and 2048 tokens, against bench/peers/numpy_attention.py:
  in-process     AttnBench L 768 12   vs  numpy_attention.py L 768 12
                 (median seconds per traced pass: 1 warm-up, >= 9 repeats, ~3 s budget;
                 --rounds runs of each, alternating, and the median of their medians)
  whole process  attn trace bench/specs/bertL.yaml --format summary
                 vs  numpy_attention.py --once L 768 12
                 (median wall time of --runs fresh processes, run alternately; peak RSS
                 of each child from os.wait4)
Ratios are attn / NumPy: below 1 means attn is faster. The goal is <= 1 in-process at
L = 512 and L = 2048. The machine is shared and noisy: compare ratios, not absolute times.

--keep-heap runs every command (attn and NumPy alike) with MALLOC_MMAP_MAX_=0 and
MALLOC_TRIM_THRESHOLD_=1e11, so that glibc keeps freed memory instead of returning it to
the kernel: repeated passes then stop paying first-touch page faults (the compute-only
figure the NumPy script's docstring describes). Off by default.

Section "long" (issue 17): `attn trace bench/specs/tiledL.yaml --format summary --focus t0
--keep focus` at L = 2048, 4096, 8192, 16384 (causal, tiles of 512 × 512): wall time and peak
RSS per L, beside the untiled bert2048 trace with and without --keep focus. The goal is
L = 16384 in under a minute and under 2 GiB.

Raw results go to bench-out/<section>.json. Standard library only.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import make_specs  # noqa: E402  (bench/make_specs.py)

D_MODEL, HEADS = 768, 12


# ---------------------------------------------------------------------------------------
# Measuring

KEEP_HEAP = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": "100000000000"}
ENV = dict(os.environ)      # every benchmarked command runs with this environment


def run_json(argv):
    """Runs a benchmark that prints one JSON object per line; returns the objects."""
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    if done.returncode != 0:
        sys.exit("bench: %s failed (%d):\n%s" % (" ".join(argv), done.returncode, done.stderr))
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def run_process(argv):
    """One fresh process, output discarded: (wall seconds, peak RSS bytes, rusage)."""
    path = argv[0] if os.sep in argv[0] else shutil.which(argv[0])
    err = os.open(os.devnull, os.O_WRONLY)
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(path, argv, ENV,
                             file_actions=[(os.POSIX_SPAWN_DUP2, err, 1)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    finally:
        os.close(err)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: %s exited with status %d" % (" ".join(argv), os.waitstatus_to_exitcode(status)))
    return wall, usage.ru_maxrss * 1024, usage          # ru_maxrss is in KiB on Linux


def in_process(commands, rounds):
    """Runs each in-process benchmark `rounds` times, alternating; returns per command its
    first JSON result with median_s the median of the rounds' medians, min_s the least."""
    results = [[] for _ in commands]
    for _ in range(rounds):
        for k, argv in enumerate(commands):
            results[k].append(run_json(argv)[0])
    merged = []
    for rs in results:
        r = dict(rs[0])
        r["median_s"] = statistics.median(x["median_s"] for x in rs)
        r["min_s"] = min(x["min_s"] for x in rs)
        r["round_medians_s"] = [x["median_s"] for x in rs]
        r["repeats"] = sum(x["repeats"] for x in rs)
        r["gflops_per_s"] = r["flops"] / r["median_s"] / 1e9
        merged.append(r)
    return merged


def whole_process(commands, runs):
    """Runs each command `runs` times, alternating between them so that they share the
    machine's noise; returns per command the median wall time and the peak RSS."""
    walls = [[] for _ in commands]
    peaks = [0 for _ in commands]
    cpus = [[] for _ in commands]
    for _ in range(runs):
        for k, argv in enumerate(commands):
            wall, peak, usage = run_process(argv)
            walls[k].append(wall)
            peaks[k] = max(peaks[k], peak)
            cpus[k].append(usage.ru_utime + usage.ru_stime)
    return [{"median_s": statistics.median(w), "min_s": min(w), "runs": len(w),
             "cpu_median_s": statistics.median(c), "peak_rss_bytes": p}
            for w, c, p in zip(walls, cpus, peaks)]


# ---------------------------------------------------------------------------------------
# Formatting

def seconds(s):
    return "%.3g s" % s if s >= 1 else "%.3g ms" % (s * 1e3)


def mib(b):
    return "%.0f MiB" % (b / 2**20) if b >= 10 * 2**20 else "%.1f MiB" % (b / 2**20)


def ratio(a, b):
    return "%.2f×" % (a / b)


def paired_ratio(a, b):
    """The median over rounds of attn's median / NumPy's median in the same round: the
    two ran back to back, so this cancels more of the machine's drifting load than the
    ratio of the overall medians."""
    return statistics.median(x / y for x, y in zip(a["round_medians_s"], b["round_medians_s"]))


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Section: attention forward pass vs NumPy

def attention_section(args):
    attn = os.path.join(args.bin_dir, "attn")
    attn_bench = os.path.join(args.bin_dir, "AttnBench")
    for path in (attn, attn_bench):
        if not os.access(path, os.X_OK):
            sys.exit("bench: %s is missing: build it first (swift build -c release --product %s)"
                     % (path, os.path.basename(path)))
    if not os.path.exists(args.numpy):
        sys.exit("bench: the NumPy reference %s is missing" % args.numpy)
    python = sys.executable
    repeats = ["--repeats", str(args.repeats)] if args.repeats else []

    results = []
    for L in args.sizes:
        spec = make_specs.write(L)
        print("attention L=%d: in-process ×%d…" % (L, args.rounds), file=sys.stderr, flush=True)
        ours, peer = in_process([[attn_bench, str(L), str(D_MODEL), str(HEADS)] + repeats,
                                 [python, args.numpy, str(L), str(D_MODEL), str(HEADS)] + repeats],
                                args.rounds)

        # Whole processes. First one run each with output kept, to check they did the work
        # (and to warm the page cache), then the timed runs.
        commands = [[attn, "trace", spec, "--format", "summary"],
                    [python, args.numpy, "--once", str(L), str(D_MODEL), str(HEADS)]]
        summary = subprocess.run(commands[0], capture_output=True, text=True, check=True, env=ENV).stdout
        expected = "output\t-\tO\t(%d×%d)" % (L, D_MODEL)
        if expected not in summary.splitlines():
            sys.exit("bench: attn trace %s did not end with %r" % (spec, expected))
        subprocess.run(commands[1], capture_output=True, check=True, env=ENV)
        print("attention L=%d: whole processes ×%d…" % (L, args.runs), file=sys.stderr, flush=True)
        ours_process, peer_process = whole_process(commands, args.runs)
        results.append({"L": L, "D": D_MODEL, "H": HEADS, "in_process_ratio": paired_ratio(ours, peer),
                        "attn_in_process": ours, "numpy_in_process": peer,
                        "attn_process": ours_process, "numpy_process": peer_process})

    header = ["size", "attn in-process median", "NumPy in-process median", "ratio",
              "attn whole-process", "NumPy whole-process", "ratio",
              "attn peak RSS", "trace bytes", "NumPy peak RSS"]
    rows = []
    for r in results:
        a, n = r["attn_in_process"], r["numpy_in_process"]
        ap, np_ = r["attn_process"], r["numpy_process"]
        rows.append(["L=%d, d=%d, h=%d" % (r["L"], r["D"], r["H"]),
                     seconds(a["median_s"]), seconds(n["median_s"]), "%.2f×" % paired_ratio(a, n),
                     seconds(ap["median_s"]), seconds(np_["median_s"]), ratio(ap["median_s"], np_["median_s"]),
                     mib(ap["peak_rss_bytes"]), mib(a["trace_bytes"]), mib(np_["peak_rss_bytes"])])
    text = table(header, rows)
    notes = ["ratio = attn / NumPy (below 1: attn faster). In-process: median per traced pass, "
             "the median of %d alternating runs of each (attn repeats per size: %s); its ratio is "
             "the median of the per-run ratios (attn and NumPy back to back). Whole-process: "
             "median of %d runs each, alternating; peak RSS is the largest of them. trace bytes: "
             "distinct matrix storage the trace holds."
             % (args.rounds, "/".join(str(r["attn_in_process"]["repeats"]) for r in results), args.runs)]
    kernels = results[0]["attn_in_process"].get("blas_kernels") if results else None
    if kernels is not None:
        notes.append("attn's OpenBLAS runs its %s kernels (COpenBLAS/openblas.c chooses them "
                     "from the processor's instructions unless OPENBLAS_CORETYPE is set)."
                     % (kernels or "no"))
    if args.keep_heap:
        notes.append("--keep-heap: every command ran with %s."
                     % " ".join("%s=%s" % kv for kv in KEEP_HEAP.items()))
    goal = [r for r in results if r["L"] in (512, 2048)]
    if goal:
        met = all(paired_ratio(r["attn_in_process"], r["numpy_in_process"]) <= 1 for r in goal)
        notes.append("Goal (attn in-process no slower than NumPy at L = 512 and 2048): %s."
                     % ("met" if met else "NOT met"))
    return "Attention forward pass, every stage traced (float64)", text, notes, results


# ---------------------------------------------------------------------------------------
# Section: long sequences, tiles and --keep focus (issue 17)

LONG_GOAL = {"L": 16384, "seconds": 60, "rss_bytes": 2 * 2**30}


def long_section(args):
    """attn trace bench/specs/tiledL.yaml --format summary --focus t0 --keep focus at
    L = 2048 … 16384 (causal, tiles 512 × 512, d_model 768, 12 heads, W_O): wall time and
    peak RSS of whole processes, and beside them the untiled trace at 2048 with and without
    --keep focus. Goal: L = 16384 in under a minute and 2 GiB."""
    attn = os.path.join(args.bin_dir, "attn")
    runs = max(1, args.long_runs)
    rows, results = [], []
    cases = [("bert2048 (untiled, every row)", make_specs.write(2048), [])]
    cases.append(("bert2048 (untiled) --keep focus", make_specs.write(2048), ["--focus", "t0", "--keep", "focus"]))
    for L in args.long_sizes:
        cases.append(("tiled%d --keep focus" % L, make_specs.write(L, tiled=True), ["--focus", "t0", "--keep", "focus"]))
    for label, spec, extra in cases:
        command = [attn, "trace", spec, "--format", "summary"] + extra
        print("long: %s ×%d…" % (label, runs), file=sys.stderr, flush=True)
        walls, peak = [], 0
        for _ in range(runs):
            wall, rss, _ = run_process(command)
            walls.append(wall)
            peak = max(peak, rss)
        L = int("".join(ch for ch in os.path.basename(spec) if ch.isdigit()))
        result = {"case": label, "L": L, "median_s": statistics.median(walls), "runs": runs, "peak_rss_bytes": peak}
        results.append(result)
        rows.append([label, "%d" % L, seconds(result["median_s"]), mib(peak)])
    notes = ["Whole processes, median of %d run(s) each; peak RSS from wait4. Spec: d_model 768, 12 heads, "
             "W_O; tiled specs are causal with tiles of %d × %d (make_specs.py)." % (runs, make_specs.TILE, make_specs.TILE)]
    goal = [r for r in results if r["L"] == LONG_GOAL["L"] and "tiled" in r["case"]]
    if goal:
        met = goal[0]["median_s"] < LONG_GOAL["seconds"] and goal[0]["peak_rss_bytes"] < LONG_GOAL["rss_bytes"]
        notes.append("Goal (L = 16384 with tiles and --keep focus: under 60 s and 2 GiB peak RSS): %s."
                     % ("met" if met else "NOT met"))
    return "Long sequences: tiles and --keep focus", table(["trace", "L", "time", "peak RSS"], rows), notes, results


# Each section: name → function(args) returning (title, markdown table, notes, raw results).
# The page-build section (attn vs the cmark floor) is added here by its own issue.
SECTIONS = {
    "attention": attention_section,
    "long": long_section,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="128,512,2048",
                        type=lambda s: [int(x) for x in s.split(",")], help="token counts L")
    parser.add_argument("--rounds", type=int, default=3, help="alternating in-process runs per benchmark")
    parser.add_argument("--runs", type=int, default=5, help="whole-process runs per command (>= 5)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="in-process repeats (default: ~3 s budget, at least 9)")
    parser.add_argument("--bin-dir", default=os.path.join(ROOT, ".build", "release"))
    parser.add_argument("--numpy", default=os.path.join(HERE, "peers", "numpy_attention.py"))
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append",
                        help="run only this section (repeatable)")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench-out"), help="where raw JSON goes")
    parser.add_argument("--long-sizes", default=",".join(map(str, make_specs.LONG_SIZES)),
                        type=lambda s: [int(x) for x in s.split(",")], help="token counts of the long section")
    parser.add_argument("--long-runs", type=int, default=1, help="whole-process runs per long trace")
    parser.add_argument("--keep-heap", action="store_true",
                        help="run every command with glibc keeping freed memory (see above)")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.keep_heap:
        ENV.update(KEEP_HEAP)

    print("# attn benchmarks\n")
    print("%d CPUs, load average %s at start." % (os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg())))
    os.makedirs(args.out, exist_ok=True)
    for name, section in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        title, text, notes, raw = section(args)
        print("\n## %s\n\n%s\n" % (title, text))
        for note in notes:
            print(note)
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump(raw, f, indent=1)
    print("\nLoad average %s at end." % " ".join("%.2f" % x for x in os.getloadavg()))


if __name__ == "__main__":
    main()
