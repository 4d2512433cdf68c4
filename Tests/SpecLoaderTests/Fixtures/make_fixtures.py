#!/usr/bin/env python3
"""Writes the .npy and .csv fixtures of MatrixFileTests with NumPy (run from this folder:
python3 make_fixtures.py). The files are committed; rerun only to change them."""
import io
import numpy as np

x = np.array([[0.1, -2.5, 1e-300], [3.0, 1 / 3, -0.0]])          # 2 x 3, float64
np.save("x_f8.npy", x)
np.save("x_f4.npy", x.astype("<f4"))
np.save("x_i8.npy", np.array([[1, -2], [3, 2**40]], dtype="<i8"))
np.save("x_i4.npy", np.array([[1, -2], [3, 4]], dtype="<i4"))
np.save("x_fortran.npy", np.asfortranarray(x))
np.save("b_1d.npy", np.array([0.5, -1.25, 2.0]))
with open("x_v2.npy", "wb") as f:
    np.lib.format.write_array(f, x, version=(2, 0))
np.savetxt("x.csv", x, delimiter=",")                            # %.18e: round-trips exactly
np.savetxt("x_header.csv", x, delimiter=",", header="three columns")  # '# three columns'

# The "I am good" example, for a spec that reads every matrix from files.
np.save("good_X.npy", np.array([[1, 0, 1, 0], [0, 2, 0, 2], [1, 1, 1, 1]], dtype="<f8"))
np.savetxt("good_W_Q.csv", np.array([[1, 0, 1], [1, 0, 0], [0, 0, 1], [0, 1, 1]]), delimiter=",")
np.save("good_W_K.npy", np.array([[0, 0, 1], [1, 1, 0], [0, 1, 0], [1, 1, 0]], dtype="<i8"))
np.save("good_W_V.npy", np.array([[0, 2, 0], [0, 3, 0], [1, 0, 3], [1, 1, 0]], dtype="<f4"))

# Malformed or unsupported.
np.save("big_endian.npy", x.astype(">f8"))
np.save("object.npy", np.array([1, "a"], dtype=object), allow_pickle=True)
np.save("complex.npy", x.astype(np.complex128))
np.save("three_d.npy", np.zeros((2, 2, 2)))
np.save("scalar.npy", np.float64(1.5))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f8")]))
np.save("nan.npy", np.array([[1.0, 2.0], [np.nan, 4.0]]))
np.save("inf.npy", np.array([1.0, -np.inf]))
good = io.BytesIO()
np.save(good, x)
data = good.getvalue()
with open("truncated.npy", "wb") as f:
    f.write(data[:-8])
with open("bad_magic.npy", "wb") as f:
    f.write(b"\x93NUMPX" + data[6:])
with open("bad_header.npy", "wb") as f:     # shape is not a tuple
    f.write(data.replace(b"'shape': (2, 3)", b"'shape': [2, 3]"))
with open("archive.npy", "wb") as f:         # an .npz archive under an .npy name
    np.savez(f, a=x)
