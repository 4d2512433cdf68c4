#!/usr/bin/env python3
"""The harness `attn check --python` runs for one exercise of the NumPy edition.

usage: run_exercise.py FOLDER FILE FUNCTION

Loads FILE (an exercise, e.g. workbook/python/05_softmax_rows.py) as a module of its own,
with FOLDER first on the import path (so that `from exercises import softmax_rows` finds
FOLDER/exercises.py and, through it, the earlier exercises of that folder). Then it reads
one call per line on standard input -- a JSON array of arguments -- calls FUNCTION and
writes its result on standard output after the marker "@@attn-workbook@@ ok ". Anything
else on standard output is the student's own printing. The checks themselves run in
`attn` (Sources/WorkbookChecks), the same for both editions: this program only computes.

Other replies, each on a line of its own after the marker:
  not-started NAME   NAME raised NotImplementedError (a stub): exit status 3
  syntax JSON        the file (or one it imports) does not compile: {file, line, column, message, code}
  error JSON         the function raised an exception: {type, message, file, line, code}
  bad TEXT           the function returned something that is not numbers (None, a string)
  no-numpy PATH      this python cannot import numpy: exit status 4
"""
import importlib.util
import json
import os
import sys
import traceback

MARK = "@@attn-workbook@@"


def reply(kind, text):
    sys.stdout.write("\n%s %s %s\n" % (MARK, kind, text))
    sys.stdout.flush()


def place(tb_or_frames, folder, file):
    """The innermost frame in the workbook's files (else the innermost of all)."""
    frames = traceback.extract_tb(tb_or_frames) if not isinstance(tb_or_frames, list) else tb_or_frames
    mine = [f for f in frames if os.path.abspath(f.filename).startswith(folder + os.sep)
            or os.path.abspath(f.filename) == file]
    return (mine or frames or [None])[-1]


def load(path):
    """The exercise file as a module named after it (the same name `exercises` gives it)."""
    key = "exercise_" + os.path.splitext(os.path.basename(path))[0]
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[key]
        raise
    return module


def plain(x, np):
    """A result as nested lists of floats; None and strings are not results."""
    if x is None:
        raise TypeError("None: the function returned nothing -- did you forget `return`?")
    if isinstance(x, str):
        raise TypeError("a string, %r" % x[:40])
    if isinstance(x, (list, tuple)):
        return [plain(v, np) for v in x]
    return np.asarray(x, dtype=float).tolist()


def argument(value, np):
    """JSON arguments as the exercises take them: matrices and vectors as float arrays, a
    list of matrices (heads) as a list of arrays, integers as int; {"rows": 0, "columns": N},
    a matrix with no rows (an empty KV cache), as an array of shape (0, N)."""
    if isinstance(value, dict):
        return np.zeros((value["rows"], value["columns"]))
    if isinstance(value, list):
        if value and isinstance(value[0], list) and value[0] and isinstance(value[0][0], list):
            return [np.array(m, dtype=float) for m in value]
        return np.array(value, dtype=float)
    return value


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    folder, file, function = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    sys.path.insert(0, folder)
    try:
        import numpy as np
    except ImportError:
        reply("no-numpy", sys.executable)
        sys.exit(4)
    try:
        f = getattr(load(file), function)
    except SyntaxError as e:
        reply("syntax", json.dumps({"file": e.filename, "line": e.lineno, "column": e.offset,
                                    "message": "%s: %s" % (type(e).__name__, e.msg), "code": (e.text or "").rstrip("\n")}))
        sys.exit(1)
    except BaseException as e:
        report(e, folder, file)
        sys.exit(1)
    for line in sys.stdin:
        try:
            args = [argument(a, np) for a in json.loads(line)]
        except ValueError as e:
            sys.stderr.write("run_exercise.py: a call must be a JSON array: %s\n" % e)
            sys.exit(4)
        try:
            result = f(*args)
        except BaseException as e:
            report(e, folder, file)
            sys.exit(3 if isinstance(e, NotImplementedError) else 1)
        try:
            text = json.dumps(plain(result, np))
        except (TypeError, ValueError) as e:
            reply("bad", "%s returned %s" % (function, e))
            sys.exit(1)
        reply("ok", text)
    sys.exit(0)


def report(e, folder, file):
    frame = place(e.__traceback__, folder, file)
    if isinstance(e, NotImplementedError) and frame is not None:
        reply("not-started", frame.name)
        return
    where = {"file": frame.filename, "line": frame.lineno, "code": (frame.line or "").strip()} if frame else {}
    message = str(e) if not isinstance(e, KeyboardInterrupt) else ""
    reply("error", json.dumps(dict(type=type(e).__name__, message=message, **where)))


if __name__ == "__main__":
    main()
