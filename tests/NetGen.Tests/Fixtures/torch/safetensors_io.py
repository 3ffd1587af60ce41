"""The safetensors format by hand, for float32 and int64 tensors: Debian packages PyTorch but not the safetensors library.

Writes what safetensors.torch.save_file writes (an 8-byte little-endian header length, a compact JSON header padded
with spaces to a multiple of 8, then the tensors' little-endian bytes in the header's order) and reads any such file.
"""
import json
import struct

import torch


def save_file(tensors, path, metadata=None):
    header, offset, blobs = {}, 0, []
    # save_file orders the data by dtype, larger first in its enum (I64 before F32: BatchNorm's num_batches_tracked),
    # then by name.
    for name in sorted(tensors, key=lambda n: (tensors[n].dtype != torch.int64, n)):
        if tensors[name].dtype == torch.int64:
            dtype, data = "I64", tensors[name].detach().contiguous().numpy().astype("<i8").tobytes()
        else:
            dtype, data = "F32", tensors[name].detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    if metadata is not None:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_file(path):
    """Returns (tensors by name, metadata or None)."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    metadata = header.pop("__metadata__", None)
    data = raw[8 + length:]
    tensors = {}
    for name, entry in header.items():
        assert entry["dtype"] in ("F32", "I64"), f"{name} is {entry['dtype']}, not F32 or I64"
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32 if entry["dtype"] == "F32" else torch.int64)
        tensors[name] = values.reshape(entry["shape"]).clone()
    return tensors, metadata
