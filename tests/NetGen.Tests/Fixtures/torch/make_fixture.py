"""Writes the PyTorch fixtures that NetGen's PyTorchLayoutTests load. Run once, from anywhere, with Debian's Python:

    /usr/bin/python3 tests/NetGen.Tests/Fixtures/torch/make_fixture.py      # needs apt-get install python3-torch

sequential.safetensors: models.sequential() after a few training steps, with the metadata PyTorch's own tools write
  ({"format": "pt"}), under nn.Sequential's names.
named.safetensors: models.Named(), as plain safetensors.torch.save_file(model.state_dict(), path) writes it: no
  metadata, the module's own names.
expected.json: inputs for each model and what PyTorch predicted for them (eval mode: dropout off).
"""
import json
import os

import torch

from models import Named, sequential
from safetensors_io import save_file

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(2026)


def train(model, x, y, loss, steps):
    # A few steps, so the biases are not zero and every weight has moved from its initializer.
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    model.train()
    for _ in range(steps):
        optimizer.zero_grad()
        loss(model(x), y).backward()
        optimizer.step()
    model.eval()


# The Sequential classifier: 5 features on different scales, so the Normalization matters.
x = torch.randn(64, 5) * torch.tensor([1.0, 10.0, 0.1, 3.0, 100.0]) + torch.tensor([0.0, 5.0, -1.0, 2.0, 50.0])
labels = torch.randint(0, 3, (64,))
seq = sequential()
seq[0].adapt(x)
train(seq, x, labels, lambda p, y: torch.nn.functional.nll_loss(torch.log(p), y), steps=40)
seq_inputs = x[:16]
with torch.no_grad():
    seq_outputs = seq(seq_inputs)
save_file(seq.state_dict(), os.path.join(here, "sequential.safetensors"), metadata={"format": "pt"})

# The named regressor.
xn = torch.rand(32, 3) * 2 - 1
yn = torch.stack([xn.sum(dim=1), xn[:, 0] * xn[:, 1]], dim=1)
named = Named()
train(named, xn, yn, torch.nn.functional.mse_loss, steps=40)
named_inputs = xn[:16]
with torch.no_grad():
    named_outputs = named(named_inputs)
save_file(named.state_dict(), os.path.join(here, "named.safetensors"))

# float32 values written as Python floats (doubles) round-trip exactly.
expected = {
    "torch": torch.__version__,
    "sequential": {"inputs": seq_inputs.tolist(), "outputs": seq_outputs.tolist()},
    "named": {"inputs": named_inputs.tolist(), "outputs": named_outputs.tolist()},
}
with open(os.path.join(here, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print("wrote sequential.safetensors, named.safetensors and expected.json with torch", torch.__version__)
