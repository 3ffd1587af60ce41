"""The safetensors format by hand, for float32 tensors: Debian packages PyTorch but not the safetensors library.

Writes what safetensors.torch.save_file writes (an 8-byte little-endian header length, a compact JSON header padded
with spaces to a multiple of 8, then the tensors' little-endian bytes in the header's order) and reads any such file.
"""
import json
import struct

import torch


def save_file(tensors, path, metadata=None):
    header, offset, blobs = {}, 0, []
    # save_file orders the data by name too (after dtype, which is F32 for all of these).
    for name in sorted(tensors):
        data = tensors[name].detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
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
        assert entry["dtype"] == "F32", f"{name} is {entry['dtype']}, not F32"
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        tensors[name] = values.reshape(entry["shape"]).clone()
    return tensors, metadata
