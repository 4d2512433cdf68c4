#!/usr/bin/env python3
"""Proves that check_pages.py can fail: runs it on deliberately bad pages (and one good
page) in a temporary directory, and checks that each fault is reported, that the good
page passes, and that a missing site, a Chromium that cannot start and a timeout all end
in a clear failure instead of a pass or a hang.

    python3 Tests/Browser/self_test.py [-q]

-q prints only the expectations that failed, and the closing line. Takes a few seconds. Exit status 0 when every expectation holds.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECK = HERE / "check_pages.py"


def page(title, body, head=""):
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="style.css">{head}</head>
<body><main><h1>{title}</h1>
{body}
</main></body></html>
"""


GOOD_BODY = """<p>The weight is <math><msub><mi>α</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub></math>
(and <math><mtext><b>HTML</b> is allowed in mtext</mtext></math>).</p>
<table><caption>Scores</caption><tr><th>a</th><td>1</td></tr></table>
<p><a href="#scores">scores</a>, <a href="other.html">the other page</a>, <a href="other.html#part">its part</a>.</p>
<h2 id="scores">Scores</h2>"""

PAGES = {
    "good.html": page("Good", GOOD_BODY),
    "other.html": page("Other", '<h2 id="part">Part</h2><p>No math here.</p>'),
    # The two faults the issue names.
    "remote-stylesheet.html": page("Remote stylesheet", "<p>Styled from afar.</p>",
                                   head='<link rel=stylesheet href="https://example.com/x.css">'),
    "console-error.html": page("Console error", '<p>Hello.</p><script>console.error("x")</script>'),
    # Other faults.
    "console-warning.html": page("Console warning", '<script>console.warn("careful")</script>'),
    "exception.html": page("Exception", '<script>throw new Error("boom")</script>'),
    "remote-image.html": page("Remote image", '<p><img src="http://203.0.113.7/a.png" alt="a"></p>'),
    "remote-font.html": page("Remote font", "<p>Text in a web font.</p>", head=(
        "<style>@font-face { font-family: Web; src: url(https://fonts.example.org/web.woff2); }"
        " p { font-family: Web; }</style>")),
    "missing-local.html": page("Missing local file", '<p><img src="nowhere.png" alt="x"></p>'),
    "structure.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Structure</title></head>
<body><h1>One</h1><h1>Two</h1>
<svg width="10" height="10"><math><mi>y</mi></math></svg>
<table class="matrix"><tr><td>no caption</td></tr></table>
</body></html>
""",
    "lost-math.html": page("Lost math", "<p>An escaped &lt;math&gt; only: <code>&lt;math&gt;</code>"
                                        "<!-- <math> --></p>"),
    "broken-links.html": page("Broken links", '<p><a href="gone.html">gone</a>, <a href="other.html#nope">nope</a>, '
                                              '<a href="#missing">missing</a>.</p>'),
}

# page -> text fragments that must appear among that page's reported problems
EXPECTED = {
    "remote-stylesheet.html": ["network request: Stylesheet https://example.com/x.css"],
    "console-error.html": ["console.error: x", "1 script element(s)"],
    "console-warning.html": ["console.warning: careful"],
    "exception.html": ["uncaught exception: Error: boom"],
    "remote-image.html": ["network request: Image http://203.0.113.7/a.png"],
    "remote-font.html": ["network request: Font https://fonts.example.org/web.woff2"],
    "missing-local.html": ["failed to load file://", "nowhere.png"],
    "structure.html": ["2 h1 elements", "0 main elements", "are not MathMLElement: math (the math element itself)",
                       "table without a caption"],
    "lost-math.html": ["the source has <math but the DOM has no math element"],
    "broken-links.html": ["gone.html (no such file)", "(no id “nope” on that page)",
                          "(no id “missing” on that page)"],
}


def run(args, env=None, timeout=90):
    start = time.monotonic()
    p = subprocess.run([sys.executable, str(CHECK), *args], capture_output=True, text=True,
                       timeout=timeout, env={**os.environ, **(env or {})})
    return p.returncode, p.stdout + p.stderr, time.monotonic() - start


def blocks(output):
    """page file name -> the lines reported for it."""
    result, current = {}, None
    for line in output.splitlines():
        if line.startswith(("ok   ", "FAIL ")):
            name = line[5:].split("  (")[0].strip()
            current = Path(name).name
            result[current] = [line]
        elif line.startswith(" ") and current:
            result[current].append(line)
        else:
            current = None
    return result


def main():
    quiet = "-q" in sys.argv[1:]
    failures = []

    def expect(cond, what):
        if not cond or not quiet:
            print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory(prefix="attn-browser-self-test-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "style.css").write_text("body { font-family: sans-serif; }\n")
        for name, html in PAGES.items():
            (site / name).write_text(html, encoding="utf-8")

        code, out, secs = run([str(site)])
        got = blocks(out)
        expect(code != 0, f"bad pages make check_pages.py exit non-zero (exit {code}, {secs:.1f} s)")
        for name in ("good.html", "other.html"):
            lines = got.get(name, ["(not reported)"])
            expect(lines[0].startswith("ok   "), f"{name} passes: " + " | ".join(lines))
        for name, needles in EXPECTED.items():
            lines = got.get(name, ["(not reported)"])
            text = "\n".join(lines)
            expect(lines[0].startswith("FAIL "), f"{name} fails")
            for needle in needles:
                expect(needle in text, f"{name} reports “{needle}”")
        bad = len(PAGES) - 2
        expect(f"2 passed, {bad} failed" in out.splitlines()[-1],
               f"closing line is “2 passed, {bad} failed”: {out.splitlines()[-1]!r}")
        if failures:
            print("---- check_pages.py output ----\n" + out)

        code, out, secs = run([str(Path(tmp) / "no-such-site")])
        expect(code != 0 and "not found" in out and out.strip().endswith("0 passed, 1 failed"),
               f"a missing site fails clearly: {out.strip().splitlines()}")

        empty = Path(tmp) / "empty"
        empty.mkdir()
        code, out, secs = run([str(empty)])
        expect(code != 0 and "no .html files" in out, f"a site with no pages fails: {out.strip().splitlines()}")

        code, out, secs = run([str(site / "good.html")], env={"CHROMIUM": "/bin/false"})
        expect(code != 0 and "Chromium could not start" in out and secs < 15,
               f"a Chromium that cannot start fails clearly in {secs:.1f} s: {out.strip().splitlines()[0]}")

        code, out, secs = run([str(site / "good.html")], env={"CHROMIUM": str(Path(tmp) / "no-chromium")})
        expect(code != 0 and "Chromium could not start" in out,
               f"a missing Chromium binary fails clearly: {out.strip().splitlines()[0]}")

        hang = Path(tmp) / "hang"
        hang.write_text("#!/bin/sh\nexec sleep 600\n")
        hang.chmod(0o755)
        code, out, secs = run([str(site / "good.html"), "--timeout", "2"], env={"CHROMIUM": str(hang)})
        expect(code != 0 and secs < 10,
               f"a Chromium that never answers is given up after the timeout ({secs:.1f} s): "
               f"{out.strip().splitlines()[0]}")

    print(f"{'self-test passed' if not failures else f'self-test FAILED: {len(failures)} expectation(s)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
