"""Loads a weights file NetGen saved in PyTorch's layout into PyTorch and checks what it predicts:

    /usr/bin/python3 tests/NetGen.Tests/Fixtures/torch/load_netgen.py [file [predictions.json]]   # apt-get install python3-torch

file defaults to netgen.safetensors beside this script: what TorchSequential.SaveWeights(path, WeightLayout.PyTorch)
writes after loading sequential.safetensors (PyTorchLayoutTests keeps it byte for byte what NetGen writes). The file loads
into models.sequential() with load_state_dict(strict=True) (every name and shape must match, nothing left over), and
the model must predict expected.json's outputs: the weights went PyTorch -> NetGen -> PyTorch without a bit changed,
kernels transposed both ways. With predictions.json ({"inputs": [[...]], "outputs": [[...]]}, what NetGen predicted
with the file's weights) it checks PyTorch against NetGen's predictions instead, to 1e-5.
"""
import json
import os
import sys

import torch

from models import sequential

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "netgen.safetensors")
try:
    from safetensors import safe_open
    from safetensors.torch import load_file

    tensors = load_file(path)
    with safe_open(path, "pt") as f:
        metadata = f.metadata()
except ImportError:  # Debian has no python3-safetensors: the same format, read by hand
    from safetensors_io import load_file

    tensors, metadata = load_file(path)

assert metadata.get("format") == "pt" and metadata.get("layout") == "pytorch", f"{path} says {metadata}, not PyTorch's layout"
model = sequential()
model.load_state_dict(tensors, strict=True)
model.eval()

if len(sys.argv) > 2:
    with open(sys.argv[2]) as f:
        expected, tolerance = json.load(f), 1e-5  # float32 sums in another order
else:
    with open(os.path.join(here, "expected.json")) as f:
        expected, tolerance = json.load(f)["sequential"], 1e-6  # the very weights PyTorch predicted these with
with torch.no_grad():
    predicted = model(torch.tensor(expected["inputs"]))
worst = (predicted - torch.tensor(expected["outputs"])).abs().max().item()
print(f"{os.path.basename(path)}: {len(tensors)} tensors loaded strictly into nn.Sequential ({metadata.get('model')}); "
      f"predictions differ from the expected by {worst:.3g}")
if worst > tolerance:
    sys.exit("FAILED: PyTorch predicts other values from NetGen's file")
print("ok")
