"""Shared by sklearn_compare.py and torch_regression.py: the data files, the split folder, the environment.

The split folder is written by tests/NetGen.Compare (see README.md beside this file):

  manifest.json                 data folder and one entry per run: its seeds, architecture and hyperparameters
                                (read from the NetGen models themselves)
  <dataset>/seed<N>.train.csv   one line per training sample, in NetGen's order: "<row index>,<target>"
  <dataset>/seed<N>.test.csv    the same for the test samples

Row indices count data rows (0-based) in the file as NetGen reads it. The target written beside each index is
checked against the target loaded here, so a misaligned file fails loudly instead of comparing different samples.
"""
import json
import os
import platform
import sys

import numpy as np


def load_dataset(name, data_dir):
    """Features (float32, as NetGen parses them) and targets (float64) of one of the four data sets."""
    path = lambda f: os.path.join(data_dir, f)  # noqa: E731
    if name == "iris":
        # First line is metadata ("150,4,setosa,versicolor,virginica"); rows are 4 measurements and a label.
        raw = np.loadtxt(path("iris.csv"), delimiter=",", skiprows=1)
        return raw[:, :4].astype(np.float32), raw[:, 4]
    if name == "digits":
        raw = np.loadtxt(path("digits.csv.gz"), delimiter=",")
        return raw[:, :64].astype(np.float32), raw[:, 64]
    if name == "diabetes":
        x = np.loadtxt(path("diabetes_data_raw.csv.gz"))
        y = np.loadtxt(path("diabetes_target.csv.gz"))
        return x.astype(np.float32), y
    if name == "boston":
        # First line is metadata, second the header; MEDV (the target) is the last column.
        raw = np.loadtxt(path("boston_house_prices.csv"), delimiter=",", skiprows=2)
        return raw[:, :13].astype(np.float32), raw[:, 13]
    raise ValueError(f"unknown data set {name!r}")


def read_manifest(split_dir):
    with open(os.path.join(split_dir, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


def read_split(split_dir, dataset, seed, part, y):
    """Row indices of one part of one split, in order, after checking the targets written beside them."""
    file = os.path.join(split_dir, dataset, f"seed{seed}.{part}.csv")
    rows = np.loadtxt(file, delimiter=",", ndmin=2)
    idx = rows[:, 0].astype(np.int64)
    if not np.allclose(y[idx], rows[:, 1], rtol=1e-6, atol=1e-6):
        bad = int(np.argmax(~np.isclose(y[idx], rows[:, 1], rtol=1e-6, atol=1e-6)))
        raise SystemExit(f"{file}: line {bad + 1} says row {idx[bad]} has target {rows[bad, 1]}, "
                         f"but the data here has {y[idx[bad]]}: the split does not match the data")
    return idx


def blas_library():
    """Which BLAS shared object is mapped into this process (Debian's default is the netlib reference BLAS)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.strip().split()[-1]
                b = os.path.basename(p)
                if ("blas" in b or "blis" in b or "mkl" in b) and p.startswith("/") and "cpython" not in b:
                    libs.add(os.path.realpath(p))
    except OSError:
        pass
    return sorted(libs)


def environment():
    return {"python": platform.python_version(), "numpy": np.__version__, "blas": blas_library(),
            "executable": sys.executable}
