"""Loads a weights file NetGen saved in PyTorch's layout into PyTorch and checks what it predicts:

    /usr/bin/python3 tests/NetGen.Tests/Fixtures/torch/load_netgen.py [file [predictions.json]]   # apt-get install python3-torch

Without arguments it checks the two committed files beside this script: netgen.safetensors, what
TorchSequential.SaveWeights(path, WeightLayout.PyTorch) writes after loading sequential.safetensors, and
netgen-cnn.safetensors, what TorchCnn writes after loading cnn.safetensors (PyTorchLayoutTests keeps both byte for byte
what NetGen writes). The file's metadata names the NetGen model, which picks the PyTorch model of models.py
(TorchSequential: sequential(), TorchCnn: cnn(), TorchConvnet: convnet(), torch_cnn.py's); the file loads into it with
load_state_dict(strict=True) (every name and shape must match, nothing left over; a BatchNorm's num_batches_tracked,
which NetGen does not write, starts at 0), and the model must predict expected.json's outputs: the weights went
PyTorch -> NetGen -> PyTorch without a bit changed, every tensor reordered both ways. With predictions.json
({"inputs": [[...]], "outputs": [[...]]}, NetGen's flat NHWC inputs and what NetGen predicted with the file's weights)
it checks PyTorch against NetGen's predictions instead, to 1e-5.
"""
import json
import os
import sys

import torch

from models import cnn, convnet, sequential, to_nchw

here = os.path.dirname(os.path.abspath(__file__))
MODELS = {"TorchSequential": (sequential, "sequential"), "TorchCnn": (cnn, "cnn"), "TorchConvnet": (convnet, None)}


def read(path):
    try:
        from safetensors import safe_open
        from safetensors.torch import load_file

        with safe_open(path, "pt") as f:
            return load_file(path), f.metadata()
    except ImportError:  # Debian has no python3-safetensors: the same format, read by hand
        from safetensors_io import load_file

        return load_file(path)


def check(path, predictions=None):
    tensors, metadata = read(path)
    assert metadata.get("format") == "pt" and metadata.get("layout") == "pytorch", f"{path} says {metadata}, not PyTorch's layout"
    name = metadata.get("model")
    assert name in MODELS, f"{path} holds a {name}; this script knows {', '.join(MODELS)}"
    make, fixture = MODELS[name]
    model = make()
    model.load_state_dict(tensors, strict=True)
    model.eval()
    if predictions is not None:
        with open(predictions) as f:
            expected, tolerance = json.load(f), 1e-5  # float32 sums in another order
    else:
        with open(os.path.join(here, "expected.json")) as f:
            expected, tolerance = json.load(f)[fixture], 1e-6  # the very weights PyTorch predicted these with
    with torch.no_grad():
        predicted = model(to_nchw(expected["inputs"], name))
    worst = (predicted - torch.tensor(expected["outputs"])).abs().max().item()
    print(f"{os.path.basename(path)}: {len(tensors)} tensors loaded strictly into nn.Sequential ({name}); "
          f"{len(expected['inputs'])} predictions differ from the expected by {worst:.3g}")
    if worst > tolerance:
        sys.exit("FAILED: PyTorch predicts other values from NetGen's file")


if len(sys.argv) > 1:
    check(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
else:
    check(os.path.join(here, "netgen.safetensors"))
    check(os.path.join(here, "netgen-cnn.safetensors"))
print("ok")
