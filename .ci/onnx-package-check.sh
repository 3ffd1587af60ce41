#!/usr/bin/env bash
# Packs NetGen and NetGen.Onnx and uses them as a user does: a fresh console project outside the repository references
# both packages from a local folder feed, trains XOR, exports it with model.ExportOnnx, and the ONNX project's checker
# (Debian's python3-onnx, which .ci/run installs) must accept the file. Also: NetGen.Onnx carries the Protobuf
# dependency, and NetGen itself still has only System.Numerics.Tensors.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "ONNX package check FAILED: $1"; exit 1; }

# A version no earlier run has put in the NuGet cache, so the packages under test are always this build.
version="0.1.0-onnxcheck.$(date +%s)"
dotnet pack "$repo/src/NetGen/NetGen.csproj" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
dotnet pack "$repo/src/NetGen.Onnx/NetGen.Onnx.csproj" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet

onnx_spec=$(unzip -p "$work/feed/NetGen.Onnx.$version.nupkg" NetGen.Onnx.nuspec)
core_spec=$(unzip -p "$work/feed/NetGen.$version.nupkg" NetGen.nuspec)
# Not grep -q: it stops at the first match, unzip then dies of SIGPIPE, and pipefail turns that into a failure.
unzip -l "$work/feed/NetGen.Onnx.$version.nupkg" | grep 'lib/net10.0/NetGen.Onnx.dll' >/dev/null || fail "NetGen.Onnx.dll missing from lib/net10.0"
grep -q 'id="Google.Protobuf"' <<<"$onnx_spec" || fail "NetGen.Onnx does not depend on Google.Protobuf"
grep -q "id=\"NetGen\" version=\"$version\"" <<<"$onnx_spec" || fail "NetGen.Onnx does not depend on NetGen $version"
grep -q 'Grpc.Tools' <<<"$onnx_spec" && fail "Grpc.Tools (build-time only) leaked into NetGen.Onnx's dependencies"
[ "$(grep -c '<dependency ' <<<"$core_spec")" -eq 1 ] && grep -q 'id="System.Numerics.Tensors"' <<<"$core_spec" \
    || fail "NetGen should depend on System.Numerics.Tensors only"

dotnet new console -o "$work/app" -n OnnxPackageCheck >/dev/null
cd "$work/app"
cat > Program.cs <<'CS'
using NetGen;
using NetGen.Onnx;

var model = new XorNet(seed: 7);
model.Fit(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } }, new float[] { 0, 1, 1, 0 }, epochs: 200, batchSize: 4, seed: 7, verbose: 0);
model.ExportOnnx("xor.onnx", new OnnxExportOptions { InputName = "x", OutputName = "p" });
System.Console.WriteLine($"exported xor.onnx ({new System.IO.FileInfo("xor.onnx").Length} bytes)");

[Sequential(inputShape: [2], Loss = Loss.BinaryCrossEntropy)]
[Dense(2, Activation.Sigmoid, Name = "hidden")]
[Dense(1, Activation.Sigmoid, Name = "output")]
partial class XorNet;
CS
dotnet add package NetGen --version "$version" --source "$work/feed" >/dev/null
dotnet add package NetGen.Onnx --version "$version" --source "$work/feed" >/dev/null
dotnet build -c Release -warnaserror --nologo -v quiet
dotnet run -c Release --no-build
[ -s xor.onnx ] || fail "no xor.onnx written"
/usr/bin/python3 - <<'PY' || fail "onnx.checker refused the export (or /usr/bin/python3 lacks python3-onnx)"
import onnx
model = onnx.load("xor.onnx")
onnx.checker.check_model(model, full_check=True)
assert [i.name for i in model.graph.input] == ["x"] and [o.name for o in model.graph.output] == ["p"], "names"
assert [n.op_type for n in model.graph.node] == ["Gemm", "Sigmoid", "Gemm", "Sigmoid"], [n.op_type for n in model.graph.node]
print("onnx.checker: ok, ops", [n.op_type for n in model.graph.node])
PY
echo "ONNX package check: passed (NetGen.Onnx $version)"
