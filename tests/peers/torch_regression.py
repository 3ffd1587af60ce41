#!/usr/bin/python3
"""The course's regression network in PyTorch, on the exact splits NetGen trained on.

  /usr/bin/python3 tests/peers/torch_regression.py --split-dir DIR

DIR is written by `dotnet run --project tests/NetGen.Compare -c Release` (which runs this script itself);
see compare_common.py for its layout. For every regression run in DIR/manifest.json and every seed it builds
the same network as NetGen's (and Keras's):

  * Normalization: per-feature mean and population variance of the whole training split (as
    `model.Adapt(train)` / Keras's `normalizer.adapt(X_train)`, computed in float64), applied as a layer:
    (x - mean) / max(sqrt(variance), 1e-7);
  * Linear(n, 64) - ReLU - Linear(64, 32) - ReLU - Linear(32, 1) (sizes read from the NetGen model),
    Glorot-uniform weights and zero biases (Keras's and NetGen's defaults, not torch's), after
    torch.manual_seed(seed);
  * MSE loss (mean over the batch), torch.optim.Adam(lr = NetGen's rate, betas (0.9, 0.999), eps=1e-7 as Keras);
  * validation split exactly as Keras's / NetGen's `validation_split`: rows [floor(n * (1 - split)), n) of the
    (already shuffled) training split are held out before any shuffling, so both frameworks train on the same
    first rows and report val_loss on the same last rows each epoch (the Normalization statistics come from all
    n rows, as in the course and the NetGen sample);
  * batch size and epochs as NetGen's, reshuffling the training rows each epoch (torch.randperm with a generator
    seeded from the seed); the last batch of an epoch may be smaller;
  * float32, one thread; "fit_s" is the wall time of the epochs (validation loss included, as NetGen's Fit
    computes it too); one untimed warm-up fit per run (first seed) comes first;
  * "r2" is sklearn.metrics.r2_score on the test rows.

With "replay": true in the manifest (NetGen.Compare --replay), a diagnostic: instead of its own seeded Glorot
draw and randperm, each fit starts from NetGen's initial weights and visits the rows in NetGen's per-epoch order
(DIR/<dataset>/seed<N>.replay.json), so both frameworks follow the same trajectory up to float rounding and
any remaining R² gap comes from the arithmetic (or a real difference), not from the random draws.

Prints one JSON line on stdout.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import sklearn
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import r2_score

import compare_common as common


class Normalization(nn.Module):
    """Keras's Normalization layer after adapt(): fixed statistics, y = (x - mean) / max(sqrt(var), 1e-7)."""

    def __init__(self, x):
        super().__init__()
        x64 = x.astype(np.float64)
        mean, variance = x64.mean(axis=0), x64.var(axis=0)  # population variance (ddof=0), as Keras
        std = np.maximum(np.sqrt(variance.astype(np.float32)), np.float32(1e-7))
        self.register_buffer("mean", torch.from_numpy(mean.astype(np.float32)))
        self.register_buffer("std", torch.from_numpy(std.astype(np.float32)))

    def forward(self, x):
        return (x - self.mean) / self.std


def build(run, xtrain, seed):
    torch.manual_seed(seed)
    layers = [Normalization(xtrain)] if run["standardize"] else []
    width = xtrain.shape[1]
    for units in run["hidden"]:
        layers += [nn.Linear(width, units), nn.ReLU()]
        width = units
    layers.append(nn.Linear(width, run["outputs"]))
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)  # Glorot uniform, limit sqrt(6 / (fan_in + fan_out))
            nn.init.zeros_(m.bias)
    return model


def load_replay(model, path):
    """NetGen's initial Dense weights (kernels [inputs, units], row-major) and its per-epoch row orders."""
    with open(path, encoding="utf-8") as f:
        replay = json.load(f)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == len(replay["layers"]), "layer count differs from NetGen's"
    with torch.no_grad():
        for m, layer in zip(linears, replay["layers"]):
            kernel = np.asarray(layer["kernel"], dtype=np.float32).reshape(layer["inputs"], layer["units"])
            m.weight.copy_(torch.from_numpy(kernel.T.copy()))
            m.bias.copy_(torch.from_numpy(np.asarray(layer["bias"], dtype=np.float32)))
    return [torch.tensor(o, dtype=torch.int64) for o in replay["orders"]], replay["fit_rows"]


def fit_one(run, x, y, train, test, seed, replay_path=None):
    xtr, xte = x[train], x[test]
    ytr, yte = y[train].astype(np.float32).reshape(-1, 1), y[test]
    model = build(run, xtr, seed)
    orders = None
    if replay_path is not None:
        orders, fit_rows = load_replay(model, replay_path)
    n = len(xtr)
    split_at = int(math.floor(n * (1.0 - run["validation_split"]))) if run["validation_split"] > 0 else n
    if orders is not None and fit_rows != split_at:
        raise SystemExit(f"{replay_path}: NetGen trained on {fit_rows} rows, this split has {split_at}")
    xfit, yfit = torch.from_numpy(xtr[:split_at]), torch.from_numpy(ytr[:split_at])
    xval, yval = torch.from_numpy(xtr[split_at:]), torch.from_numpy(ytr[split_at:])
    batch = split_at if run["full_batch"] else run["batch_size"]
    opt = torch.optim.Adam(model.parameters(), lr=run["learning_rate"], betas=(0.9, 0.999), eps=1e-7)
    gen = torch.Generator().manual_seed(seed)

    t0 = time.perf_counter()
    for epoch in range(run["epochs"]):
        model.train()
        perm = orders[epoch] if orders is not None else torch.randperm(split_at, generator=gen)
        loss_sum = 0.0
        for i in range(0, split_at, batch):
            idx = perm[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(xfit[idx]), yfit[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
        val_loss = None
        if split_at < n:
            model.eval()
            with torch.no_grad():
                val_loss = F.mse_loss(model(xval), yval).item()
    fit_s = time.perf_counter() - t0

    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(xte)).numpy().reshape(-1)
    return {"r2": float(r2_score(yte, pred.astype(np.float64))), "test_mse": float(np.mean((yte - pred) ** 2)),
            "fit_s": fit_s, "final_loss": loss_sum / split_at, "final_val_loss": val_loss,
            "fit_rows": split_at, "validation_rows": n - split_at}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split-dir", required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    manifest = common.read_manifest(args.split_dir)
    results = []
    for run in manifest["runs"]:
        if run["kind"] != "regression":
            continue
        x, y = common.load_dataset(run["dataset"], manifest["data_dir"])
        splits = [(seed, common.read_split(args.split_dir, run["dataset"], seed, "train", y),
                   common.read_split(args.split_dir, run["dataset"], seed, "test", y)) for seed in run["seeds"]]
        replay = (lambda seed: os.path.join(args.split_dir, run["dataset"], f"seed{seed}.replay.json")) \
            if manifest.get("replay") else (lambda seed: None)
        fit_one(run, x, y, splits[0][1], splits[0][2], splits[0][0], replay(splits[0][0]))  # warm-up, untimed
        for seed, train, test in splits:
            r = fit_one(run, x, y, train, test, seed, replay(seed))
            r.update({"id": run["id"], "seed": seed})
            results.append(r)
            print(f"[torch] {run['id']} seed {seed}: R2 {r['r2']:.4f}, {r['fit_s']:.3f} s, "
                  f"loss {r['final_loss']:.2f}, val_loss {r['final_val_loss']:.2f}", file=sys.stderr, flush=True)

    env = common.environment()
    env.update({"torch": torch.__version__, "sklearn": sklearn.__version__, "threads": torch.get_num_threads(),
                "replay": bool(manifest.get("replay"))})
    print(json.dumps({"peer": "torch", "environment": env, "results": results}), flush=True)


if __name__ == "__main__":
    main()
