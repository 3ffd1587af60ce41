#!/usr/bin/env bash
# NetGen vs ONNX Runtime (on NetGen's exported MLP), PyTorch and scikit-learn on the same Fashion-MNIST files, in one go,
# and one table of times and ratios (see docs/performance.md). From anywhere:
#
#   bash tests/NetGen.Benchmarks/compare-peers.sh                 # defaults: 3 epochs per classifier, 5 XOR runs
#   bash tests/NetGen.Benchmarks/compare-peers.sh --epochs 2      # any option of the "peers" command
#
# The CNN rows (issue 14): NetGen's SimpleConvnet (samples/FashionCnn; Peers/CnnHarness.cs: 2 epochs at batch 32,
# single-image Predict, the test set in batches of 1000), torch_cnn.py's epoch and ONNX Runtime on torch's export of the
# same model (Peers/export_torch_cnn.py, CnnComparison.cs), with NetGen's speed ratios. --no-cnn skips them (they add
# a few minutes).
# Takes about 1-2 minutes on two cores. Everything runs sequentially: NetGen first (alone), then ONNX Runtime in the same
# process, then peak_fma.c, then each Python peer. The peers are ../shared/peers/*.py run with Debian's /usr/bin/python3 (python3-torch, python3-sklearn) on
# OpenBLAS with its AVX-512 kernels, the fastest configuration measured in ../shared/peers/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

OPENBLAS_DIR=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [ ! -e "$OPENBLAS_DIR/libblas.so.3" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "Installing libopenblas0-pthread (OpenBLAS for the peers)..." >&2
        apt-get install -y -q libopenblas0-pthread >&2 || { apt-get update -q >&2 && apt-get install -y -q libopenblas0-pthread >&2; }
        # Installing it makes OpenBLAS the machine-wide libblas.so.3 (priority 100 over the reference BLAS's 10). Put the
        # default back, as ../shared/peers/RESULTS.md did: the peers pick OpenBLAS per process with LD_LIBRARY_PATH.
        update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 >&2 || true
        update-alternatives --set liblapack.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 >&2 || true
    else
        cat >&2 <<'MSG'
OpenBLAS is not installed, and installing it needs root. The peers will run on the reference BLAS that python3-torch
brings, about 5x slower than their best, so the ratios will flatter NetGen. For the figures the targets refer to, run
once as root:
    apt-get install -y libopenblas0-pthread
    update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/blas/libblas.so.3
    update-alternatives --set liblapack.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3
(the last two keep the machine-wide default; the peers select OpenBLAS per process). Continuing with the reference BLAS.
MSG
    fi
fi

echo "load before: $(uptime)" >&2
dotnet build tests/NetGen.Benchmarks -c Release -v quiet -nologo >&2
dotnet tests/NetGen.Benchmarks/bin/Release/net10.0/NetGen.Benchmarks.dll peers "$@"
echo "load after: $(uptime)" >&2
