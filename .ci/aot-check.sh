#!/usr/bin/env bash
# Publishes samples/Aot with NativeAOT (compiled for this machine's instruction set, as the sample's project asks) and
# runs it: the publish must have no warnings, and the binary must train the very weights the JIT trains. The JIT runs
# twice, with and without AVX-512, so the check also covers two SIMD tiers of the kernels and of TensorPrimitives.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# NativeAOT links with clang (or gcc) and strips symbols with objcopy; .NET 10 brings its own zlib. Install only what is
# missing, so a machine that has them does not touch apt.
missing=()
command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(clang)
command -v objcopy >/dev/null || missing+=(binutils)
dpkg -s libc6-dev >/dev/null 2>&1 || missing+=(libc6-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing the NativeAOT toolchain: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== NativeAOT publish of samples/Aot"
log="$work/publish.log"
dotnet publish "$repo/samples/Aot/Aot.csproj" -c Release -r linux-x64 -o "$work/out" --nologo 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "AOT check FAILED: dotnet publish failed"; exit 1; }
warnings=$(grep -cE '\bwarning [A-Z]{2,}[0-9]{3,}' "$log" || true)
[ "$warnings" -eq 0 ] || { echo "AOT check FAILED: the publish had $warnings warning(s)"; exit 1; }
echo "binary: $(stat -c %s "$work/out/Aot") bytes"

fail() { echo "AOT check FAILED: $1"; exit 1; }
fingerprint() { sed -n 's/^weights fingerprint: //p' <<<"$1"; }
aot=$("$work/out/Aot") || { echo "$aot"; fail "the NativeAOT binary exited with an error"; }
echo "$aot"
grep -q '^runtime: NativeAOT' <<<"$aot" || fail "the binary did not run as NativeAOT"

# The same program on the JIT (the IL the publish built beside the binary).
il="$repo/samples/Aot/bin/Release/net10.0/linux-x64/Aot.dll"
jit=$(dotnet "$il") || { echo "$jit"; fail "the JIT run exited with an error"; }
jit256=$(DOTNET_EnableAVX512=0 dotnet "$il") || { echo "$jit256"; fail "the JIT run without AVX-512 exited with an error"; }
fma() { sed -n 's/.*fused multiply-add: //p' <<<"$1"; }
[ "$(fma "$aot")" = "$(fma "$jit")" ] || fail "the binary's fused multiply-add ($(fma "$aot")) is not the JIT's ($(fma "$jit")): its instruction set is not the machine's"
[ -n "$(fingerprint "$aot")" ] || fail "the binary printed no weights fingerprint"
echo "fingerprints: NativeAOT $(fingerprint "$aot"), JIT $(fingerprint "$jit"), JIT without AVX-512 $(fingerprint "$jit256")"
[ "$(fingerprint "$aot")" = "$(fingerprint "$jit")" ] || fail "NativeAOT trained other weights than the JIT"
[ "$(fingerprint "$jit256")" = "$(fingerprint "$jit")" ] || fail "the JIT trained other weights without AVX-512"
echo "AOT check: ok"
