"""The two PyTorch models of the fixtures, the same architectures as NetGen.Tests.Models.TorchSequential and TorchNamed."""
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
