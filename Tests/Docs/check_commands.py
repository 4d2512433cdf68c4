#!/usr/bin/env python3
"""Every command in README.md, docs/ and lessons/guides/ runs as written after set-up.

usage: python3 Tests/Docs/check_commands.py [-v]

Reads the fenced code blocks marked sh, shell, bash or console of those files (in a
console block, the lines starting with "$ "), and runs each attn command from a scratch
copy of the repository, in order, as a reader following the page would:

- `.build/release/attn …` and `.build/debug/attn …` must run and exit 0 (`attn check`
  may exit 1, which means "an exercise you attempted is wrong"); `attn serve` must still
  be serving after two seconds;
- a bare `attn …` fails the check: after `make site` and `make test` nothing puts attn on
  PATH (that takes `make install`), so a page must say `.build/release/attn`;
- `make TARGET` must name a target of the Makefile (not run: they are the set-up itself);
- `python3 FILE …` and `cat FILE` must name files that exist.
Other lines (swift build, git, pip in a venv, …) are not run.

A yaml block whose first line is a comment naming a file (`# answers-02.yaml`) is written
to that file first, as the reader is asked to. A block preceded by the HTML comment `<!-- commands: not run -->` is skipped: for
transcripts of what a command prints after the reader has changed something.
Needs the binaries that `make site` and `make test` build (.build/release/attn,
.build/debug/attn and .build/debug/attn-workbook). Standard library only.
"""
import os, re, shlex, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGES = ["README.md"] + sorted("docs/" + f for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md")) \
    + sorted("lessons/guides/" + f for f in os.listdir(os.path.join(ROOT, "lessons/guides")) if f.endswith(".md"))
SHELL_BLOCKS = {"sh", "shell", "bash", "console"}


def commands(page):
    """(line number, command text) for every command line of the page's shell blocks."""
    lines = open(os.path.join(ROOT, page), encoding="utf-8").read().split("\n")
    out, fence, info, skip, previous, block = [], None, "", False, "", []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if fence is None:
            m = re.match(r"^(`{3,}|~{3,})\s*(\S*)", stripped)
            if m:
                fence, info, block = m.group(1), m.group(2).lower(), []
                skip = previous.startswith("<!-- commands: not run")
            elif stripped:
                previous = stripped
            continue
        if stripped.startswith(fence) and stripped.strip("`~") == "":
            named = re.match(r"^#\s*([\w./-]+\.ya?ml)\s*$", block[0]) if block and info == "yaml" else None
            if named:
                out.append((number, f"(the file {named.group(1)})", ["<write>", named.group(1), "\n".join(block) + "\n"], None))
            fence, previous = None, ""
            continue
        block.append(line)
        if info not in SHELL_BLOCKS or skip:
            continue
        if info == "console":
            if not line.startswith("$ "):
                continue
            line = line[2:]
        try:
            words = shlex.split(line, comments=True)
        except ValueError as e:
            out.append((number, line, None, f"cannot be split into words: {e}"))
            continue
        if words:
            out.append((number, line.strip(), words, None))
    return out


def make_targets():
    text = open(os.path.join(ROOT, "Makefile"), encoding="utf-8").read()
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def scratch_copy():
    """The tracked files in a temporary folder, with the built binaries linked in."""
    folder = tempfile.mkdtemp(prefix="attn-docs-")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        source = os.path.join(ROOT, name)
        if not os.path.exists(source):
            continue
        target = os.path.join(folder, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target)
    for config in ("release", "debug"):
        os.makedirs(os.path.join(folder, ".build", config), exist_ok=True)
        for binary in ("attn", "attn-workbook"):
            real = os.path.join(ROOT, ".build", config, binary)
            if os.path.exists(real):
                os.symlink(os.path.realpath(real), os.path.join(folder, ".build", config, binary))
    return folder


def run(words, folder):
    """None when the command ran as documented, else what went wrong."""
    binary = words[0]
    if not os.path.exists(os.path.join(folder, binary)):
        return f"{binary} does not exist after make site and make test"
    subcommand = words[1] if len(words) > 1 else ""
    if subcommand == "serve":
        # Serving: wait for its "serving … on http://…" line (the course is built first, which
        # takes a while on a busy machine), then Ctrl-C must stop it.
        process = subprocess.Popen(words, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        deadline, seen = time.time() + 120, b""
        os.set_blocking(process.stdout.fileno(), False)
        while time.time() < deadline and b"serving" not in seen and process.poll() is None:
            time.sleep(0.2)
            seen += process.stdout.read() or b""
        if process.poll() is not None:
            return f"stopped with exit {process.returncode}: {process.stderr.read().decode(errors='replace').strip()}"
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return "did not stop within 30 s of Ctrl-C"
        return None if b"serving" in seen else "never said it was serving"
    try:
        done = subprocess.run(words, cwd=folder, capture_output=True, timeout=300, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "did not finish within 300 s"
    allowed = {0, 1} if subcommand == "check" else {0}
    if done.returncode not in allowed:
        return f"exit {done.returncode}: {done.stderr.decode(errors='replace').strip()[:400]}"
    return None


def run_pipeline(line, folder):
    """A pipeline such as `cat spec.yaml | .build/release/attn trace -`, run by bash."""
    try:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=folder, capture_output=True, timeout=300,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "did not finish within 300 s"
    return None if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.decode(errors='replace').strip()[:400]}"


def main():
    verbose = "-v" in sys.argv
    targets = make_targets()
    folder = scratch_copy()
    problems, checked = [], 0
    try:
        for page in PAGES:
            for number, line, words, error in commands(page):
                where = f"{page}:{number}: {line}"
                if error:
                    problems.append(f"{where}\n    {error}")
                    continue
                program = words[0]
                if program == "<write>":
                    path = os.path.join(folder, words[1])
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(words[2])
                elif program == "attn":
                    problems.append(f"{where}\n    attn is not on PATH after make site and make test: write .build/release/attn (or say that make install comes first)")
                elif program in (".build/release/attn", ".build/debug/attn") or re.search(r"\| *\.build/(release|debug)/attn", line):
                    checked += 1
                    problem = run(words, folder) if program.startswith(".build/") else run_pipeline(line, folder)
                    if problem:
                        problems.append(f"{where}\n    {problem}")
                    elif verbose:
                        print(f"ok  {where}")
                elif program == "make":
                    checked += 1
                    for target in (w for w in words[1:] if "=" not in w and not w.startswith("-")):
                        if target not in targets:
                            problems.append(f"{where}\n    the Makefile has no target '{target}'")
                elif program in ("python3", "cat") and len(words) > 1 and not words[1].startswith("-"):
                    checked += 1
                    if not os.path.exists(os.path.join(folder, words[1])):
                        problems.append(f"{where}\n    {words[1]} does not exist")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for problem in problems:
        print(problem)
    print(f"documented commands: {checked} checked in {len(PAGES)} pages, {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
