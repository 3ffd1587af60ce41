#!/usr/bin/python3
"""Exports ../shared/peers/torch_cnn.py's model (the Keras simple convnet, seed 42, PyTorch's default init) to ONNX
for the CNN rows of the peers command: ONNX Runtime runs it as the inference peer. A softmax is appended so the
output is probabilities, as NetGen's Predict returns. Input "input" (n, 1, 28, 28) float32 (with one channel the
same bytes as NHWC (n, 28, 28, 1)), output "output" (n, 10), the batch dimension dynamic.

  /usr/bin/python3 export_torch_cnn.py --peers ../shared/peers --output /tmp/cnn.onnx

Prints one JSON line: {"onnx": path, "opset": n, "torch": version, "parameters": 34826}.
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peers", required=True, help="the folder holding torch_cnn.py")
    ap.add_argument("--output", required=True, help="where to write the .onnx file (written to a temp file, then renamed)")
    ap.add_argument("--opset", type=int, default=13)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    sys.path.insert(0, os.path.abspath(args.peers))
    import torch
    import torch_cnn

    torch.manual_seed(args.seed)
    model = torch.nn.Sequential(torch_cnn.build(), torch.nn.Softmax(dim=1)).eval()
    parameters = sum(p.numel() for p in model.parameters())
    temporary = args.output + ".tmp"
    with torch.no_grad():
        torch.onnx.export(
            model, torch.zeros(1, 1, 28, 28), temporary, input_names=["input"], output_names=["output"],
            dynamic_axes={"input": {0: "n"}, "output": {0: "n"}}, opset_version=args.opset)
    os.replace(temporary, args.output)
    print(json.dumps({"onnx": args.output, "opset": args.opset, "torch": torch.__version__, "parameters": parameters}), flush=True)


if __name__ == "__main__":
    main()
