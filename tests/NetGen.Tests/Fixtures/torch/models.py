"""The PyTorch models of the fixtures, the same architectures as NetGen.Tests.Models.TorchSequential, TorchNamed, TorchCnn
and TorchConvnet (samples/FashionCnn's SimpleConvnet: torch_cnn.py's model, with its softmax)."""
import torch
from torch import nn


class Normalization(nn.Module):
    """NetGen's (and Keras's) Normalization layer: y = (x - mean) / max(sqrt(variance), 1e-7), statistics as buffers."""

    def __init__(self, features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(features))
        self.register_buffer("variance", torch.ones(features))
        self.register_buffer("count", torch.zeros(1))

    def adapt(self, x):
        self.mean.copy_(x.mean(dim=0))
        self.variance.copy_(x.var(dim=0, unbiased=False))
        self.count.fill_(x.shape[0])

    def forward(self, x):
        return (x - self.mean) / torch.clamp(torch.sqrt(self.variance), min=1e-7)


def sequential():
    """[Normalization] [Dense(8, ReLU)] [Dropout(0.2)] [Dense(6, LeakyReLU 0.1)] [Dense(6)] [Dense(3, Softmax)]."""
    return nn.Sequential(
        Normalization(5),             # 0: 0.mean, 0.variance, 0.count
        nn.Linear(5, 8), nn.ReLU(),   # 1: 1.weight [8, 5], 1.bias
        nn.Dropout(0.2),              # 3
        nn.Linear(8, 6), nn.LeakyReLU(0.1),  # 4
        nn.Linear(6, 6),              # 6: square, and linear, so no activation module after it
        nn.Linear(6, 3), nn.Softmax(dim=1),  # 7
    )


class Named(nn.Module):
    """[Dense(4, Tanh, Name = "hidden")] [Dense(4, Sigmoid, Name = "middle")] [Dense(2, Name = "output")] as fc1, fc2, head."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 4)
        self.head = nn.Linear(4, 2)

    def forward(self, x):
        return self.head(torch.sigmoid(self.fc2(torch.tanh(self.fc1(x)))))


def cnn():
    """TorchCnn: an 8x8x3 image (NCHW here, NHWC in NetGen) through conv, BN, pooling, a rectangular conv, flatten, BN, linear.

    The BatchNorms use Keras's epsilon, 1e-3, so inference computes what NetGen's does. The second conv's output is 3x2x5
    (height != width, 5 channels), so a flatten order mixed up between (c, h, w) and (h, w, c), or h and w, shows.
    """
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(),  # 0: 'same' (3x3, stride 1: one row/column each side) -> 8x8x4
        nn.BatchNorm2d(4, eps=1e-3),               # 2: per channel
        nn.MaxPool2d(2),                           # 3: -> 4x4x4
        nn.Conv2d(4, 5, (2, 3)), nn.Tanh(),        # 4: valid -> 3x2x5
        nn.Flatten(),                              # 6: 30 features in (c, h, w) order
        nn.BatchNorm1d(30, eps=1e-3),              # 7: per feature, in that order
        nn.Dropout(0.2),                           # 8
        nn.Linear(30, 3), nn.Softmax(dim=1),       # 9
    )


def convnet():
    """TorchConvnet (samples/FashionCnn's SimpleConvnet): torch_cnn.py's nn.Sequential (0.weight, 3.weight, 8.weight) with its softmax."""
    return nn.Sequential(
        nn.Conv2d(1, 32, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10), nn.Softmax(dim=1),
    )


# NetGen's input shape (height, width, channels) of each channels-first model, by NetGen model name.
IMAGE_SHAPES = {"TorchCnn": (8, 8, 3), "TorchConvnet": (28, 28, 1)}


def to_nchw(rows, model_name):
    """NetGen's flat NHWC rows as the NCHW batch PyTorch's convolutions take (rows unchanged for a model without images)."""
    x = torch.as_tensor(rows, dtype=torch.float32)
    if model_name not in IMAGE_SHAPES:
        return x
    h, w, c = IMAGE_SHAPES[model_name]
    return x.reshape(-1, h, w, c).permute(0, 3, 1, 2).contiguous()
