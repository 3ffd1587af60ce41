"""Writes the PyTorch fixtures that NetGen's PyTorchLayoutTests load. Run once, from anywhere, with Debian's Python:

    /usr/bin/python3 tests/NetGen.Tests/Fixtures/torch/make_fixture.py      # needs apt-get install python3-torch

sequential.safetensors: models.sequential() after a few training steps, with the metadata PyTorch's own tools write
  ({"format": "pt"}), under nn.Sequential's names.
named.safetensors: models.Named(), as plain safetensors.torch.save_file(model.state_dict(), path) writes it: no
  metadata, the module's own names.
cnn.safetensors: models.cnn() (conv, BatchNorm2d, pooling, flatten, BatchNorm1d, linear) after a few training steps, as
  save_file(model.state_dict()) writes it with {"format": "pt"}: num_batches_tracked included, as I64 scalars.
expected.json: inputs for each model and what PyTorch predicted for them (eval mode: dropout off, BatchNorm's running
  statistics); the cnn's inputs are NetGen's flat NHWC rows (models.to_nchw turns them into PyTorch's batch).
"""
import json
import os

import torch

from models import Named, cnn, sequential, to_nchw
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

# The CNN, seeded on its own so the two models above stay as they were.
torch.manual_seed(14)
images = torch.rand(48, 8, 8, 3)  # NHWC, as NetGen takes them
image_labels = torch.randint(0, 3, (48,))
conv = cnn()
# Training mode: the BatchNorms' running statistics move (momentum 0.1) and their num_batches_tracked count the steps.
train(conv, to_nchw(images.reshape(48, -1), "TorchCnn"), image_labels, lambda p, y: torch.nn.functional.nll_loss(torch.log(p), y), steps=30)
cnn_inputs = images[:6].reshape(6, -1)
with torch.no_grad():
    cnn_outputs = conv(to_nchw(cnn_inputs, "TorchCnn"))
save_file(conv.state_dict(), os.path.join(here, "cnn.safetensors"), metadata={"format": "pt"})

# float32 values written as Python floats (doubles) round-trip exactly.
expected = {
    "torch": torch.__version__,
    "sequential": {"inputs": seq_inputs.tolist(), "outputs": seq_outputs.tolist()},
    "named": {"inputs": named_inputs.tolist(), "outputs": named_outputs.tolist()},
    "cnn": {"inputs": cnn_inputs.tolist(), "outputs": cnn_outputs.tolist()},
}
with open(os.path.join(here, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print("wrote sequential.safetensors, named.safetensors, cnn.safetensors and expected.json with torch", torch.__version__)
