#!/usr/bin/python3
"""scikit-learn's MLPClassifier on the exact Iris and digits splits NetGen trained on.

  /usr/bin/python3 tests/peers/sklearn_compare.py --split-dir DIR

DIR is written by `dotnet run --project tests/NetGen.Compare -c Release` (which runs this script itself);
see compare_common.py for its layout. For every classification run in DIR/manifest.json and every seed:

  * the training and test rows are the ones NetGen used, in NetGen's order;
  * if the NetGen model starts with a Normalization layer adapted to the training split, a StandardScaler
    fitted on the same training split (mean and population standard deviation, as Keras's adapt);
    the features are otherwise scaled as NetGen's are (digits: pixels / 16);
  * MLPClassifier(hidden_layer_sizes = the NetGen model's hidden Dense sizes, activation='relu',
    solver='adam', learning_rate_init = NetGen's Adam rate, batch_size = NetGen's batch size,
    max_iter = NetGen's epochs, random_state=seed), every other setting at scikit-learn's default, as the
    course uses it: L2 penalty alpha=1e-4, Adam epsilon 1e-8, shuffling each epoch, and the stopping rule
    (stop once the training loss has not improved by tol=1e-4 for 10 epochs), so a fit may run fewer
    epochs than max_iter: "epochs_run" reports n_iter_;
  * float32 features (as NetGen's), one BLAS thread (NetGen trains on one thread);
  * "fit_s" is the wall time of fit() alone; one untimed warm-up fit per run (first seed) comes first,
    as NetGen.Compare warms up its JIT;
  * "accuracy" is clf.score on the test rows.

Prints one JSON line on stdout.
"""
import argparse
import json
import sys
import time
import warnings

import numpy as np
import sklearn
import threadpoolctl
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

import compare_common as common


def fit_one(run, x, y, train, test, seed):
    xtr, ytr, xte, yte = x[train], y[train].astype(np.int64), x[test], y[test].astype(np.int64)
    if run["feature_scale"] != 1:
        xtr, xte = xtr * np.float32(run["feature_scale"]), xte * np.float32(run["feature_scale"])
    if run["standardize"]:
        scaler = StandardScaler().fit(xtr)
        xtr, xte = scaler.transform(xtr), scaler.transform(xte)
    batch = len(xtr) if run["full_batch"] else run["batch_size"]
    clf = MLPClassifier(hidden_layer_sizes=tuple(run["hidden"]), activation="relu", solver="adam",
                        learning_rate_init=run["learning_rate"], batch_size=batch, max_iter=run["epochs"],
                        random_state=seed)
    t0 = time.perf_counter()
    clf.fit(xtr, ytr)
    fit_s = time.perf_counter() - t0
    return {"accuracy": float(clf.score(xte, yte)), "fit_s": fit_s, "epochs_run": int(clf.n_iter_),
            "final_loss": float(clf.loss_)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split-dir", required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    threadpoolctl.threadpool_limits(limits=args.threads)
    warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached: expected, epochs are fixed
    manifest = common.read_manifest(args.split_dir)
    results = []
    data = {}
    for run in manifest["runs"]:
        if run["kind"] != "classification":
            continue
        name = run["dataset"]
        if name not in data:
            data[name] = common.load_dataset(name, manifest["data_dir"])
        x, y = data[name]
        splits = [(seed, common.read_split(args.split_dir, name, seed, "train", y),
                   common.read_split(args.split_dir, name, seed, "test", y)) for seed in run["seeds"]]
        fit_one(run, x, y, splits[0][1], splits[0][2], splits[0][0])  # warm-up, untimed
        for seed, train, test in splits:
            r = fit_one(run, x, y, train, test, seed)
            r.update({"id": run["id"], "seed": seed})
            results.append(r)
            print(f"[sklearn] {run['id']} seed {seed}: accuracy {r['accuracy']:.4f}, {r['fit_s']:.3f} s, "
                  f"{r['epochs_run']} epochs", file=sys.stderr, flush=True)

    env = common.environment()
    env.update({"sklearn": sklearn.__version__, "threads": args.threads})
    print(json.dumps({"peer": "sklearn", "environment": env, "results": results}), flush=True)


if __name__ == "__main__":
    main()
