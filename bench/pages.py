#!/usr/bin/env python3
"""`make bench`, page building: attn build beside the libcmark-gfm floor, same run, same files.

usage: python3 bench/pages.py [--lessons 2000] [--runs 5] [--bin-dir .build/release]

1. bench/peers/gen_corpus.py writes a deterministic corpus of N plain lessons.
2. The same lessons are given attn's front matter (title from the H1, a summary and two
   objectives) and flat NNNN-slug.md names; the H1 line becomes the title.
3. bench/peers/cmark_floor.c (one C process: parse + render + write with libcmark-gfm)
   is compiled with gcc -O2 and run on the original corpus; attn build runs on the
   converted one. Both write every page to disk. Median wall time of --runs alternating
   runs, and the ratio attn / floor (goal: <= 1.5). Every run writes to a fresh folder and
   none is deleted before the end, so neither side pays for the other's clean-up.
4. The real course (lessons/) is built too: its median build time.
Standard library only; raw numbers go to bench-out/pages.json.
"""
import argparse, glob, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.path.join(HERE, "peers")


def convert(corpus, out):
    """Plain corpus lessons → attn lessons with front matter; returns how many."""
    os.makedirs(out, exist_ok=True)
    count = 0
    for directory, _, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            if not name.startswith("lesson-") or not name.endswith(".md"):
                continue
            text = open(os.path.join(directory, name), encoding="utf-8").read()
            lines = text.split("\n")
            title = next((l[2:].strip() for l in lines if l.startswith("# ")), name)
            body = "\n".join(l for l in lines if not l.startswith("# "))
            count += 1
            slug = f"{os.path.basename(directory)}-{name[:-3]}".lower()
            front = (f"---\ntitle: \"{title}\"\nsummary: A generated lesson for the build benchmark.\n"
                     f"objectives:\n  - Read a generated page\n  - Compare build times\n---\n")
            with open(os.path.join(out, f"{count:04d}-{slug}.md"), "w", encoding="utf-8") as f:
                f.write(front + body)
    return count


def timed(argv):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bin-dir", default=os.path.join(ROOT, ".build", "release"))
    args = parser.parse_args()
    attn = os.path.join(args.bin_dir, "attn")
    if not os.access(attn, os.X_OK):
        sys.exit(f"bench/pages.py: {attn} not found: run swift build -c release --product attn")

    work = tempfile.mkdtemp(prefix="attn-pages-")
    try:
        corpus, lessons = os.path.join(work, "corpus"), os.path.join(work, "lessons")
        subprocess.run([sys.executable, os.path.join(PEERS, "gen_corpus.py"), str(args.lessons), corpus],
                       check=True, stdout=subprocess.DEVNULL)
        n = convert(corpus, lessons)
        floor = os.path.join(work, "cmark_floor")
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libcmark-gfm"], check=True,
                               capture_output=True, text=True).stdout.split()
        subprocess.run(["gcc", "-O2", "-o", floor, os.path.join(PEERS, "cmark_floor.c")] + flags
                       + ["-lcmark-gfm-extensions"], check=True)
        times = {"floor": [], "attn": [], "course": []}
        for run in range(args.runs):
            for key in ("floor", "attn", "course"):
                out = os.path.join(work, f"out-{key}-{run}")
                if key == "floor":
                    times[key].append(timed([floor, corpus, out]))
                elif key == "attn":
                    times[key].append(timed([attn, "build", "--quiet", "--lessons", lessons, "--out", out]))
                else:
                    times[key].append(timed([attn, "build", "--quiet", "--lessons", os.path.join(ROOT, "lessons"), "--out", out]))
                # Outputs stay until the end: deleting 2,000 files between runs makes the next
                # run's file creation pay the kernel's inode clean-up, which hides the real gap.
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"\n## Building pages ({n} generated lessons, median of {args.runs} runs, written to disk)\n")
        print("| build | median | per page | vs floor |")
        print("|---|---|---|---|")
        print(f"| libcmark-gfm floor (C, parse + render + write) | {med['floor']:.3f} s | {1000 * med['floor'] / n:.2f} ms | 1.00 |")
        print(f"| attn build | {med['attn']:.3f} s | {1000 * med['attn'] / n:.2f} ms | {med['attn'] / med['floor']:.2f} |")
        course = len(glob.glob(os.path.join(ROOT, "lessons", "[0-9][0-9]-*.md")))
        print(f"\nThe real course (lessons/, {course} lessons with traced examples): attn build median {med['course']:.3f} s.")
        os.makedirs(os.path.join(ROOT, "bench-out"), exist_ok=True)
        with open(os.path.join(ROOT, "bench-out", "pages.json"), "w") as f:
            json.dump({"lessons": n, "runs": times, "median": med}, f, indent=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
