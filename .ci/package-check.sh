#!/usr/bin/env bash
# Packs NetGen and uses it the way a user does: a fresh console project outside the repository references the
# package from a local folder feed, takes the README's first C# block as its Program.cs, builds with warnings
# as errors, runs, and must print a trained XOR network; the README's other C# examples (```csharp compile or
# ```csharp run) build the same way, and the `run` ones run. The README therefore cannot drift from what works.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A version no earlier run has put in the NuGet cache, so the package under test is always this build.
version="0.1.0-check.$(date +%s)"
dotnet pack "$repo/src/NetGen/NetGen.csproj" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet

dotnet new console -o "$work/app" -n PackageCheck >/dev/null
cd "$work/app"
awk '/^```csharp$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' "$repo/README.md" > Program.cs
[ -s Program.cs ] || { echo "package check: README.md has no C# block"; exit 1; }
dotnet add package NetGen --version "$version" --source "$work/feed" >/dev/null

dotnet build -c Release -warnaserror --nologo -v quiet
output=$(dotnet run -c Release --no-build)
echo "$output"

fail() { echo "package check FAILED: $1"; exit 1; }
grep -q 'Total params: 9' <<<"$output" || fail "no model summary"
grep -q '^accuracy: 100.00%$' <<<"$output" || fail "XOR did not reach 100% accuracy"
[ "$(grep -c 'XOR .* = ' <<<"$output")" -eq 4 ] || fail "expected 4 predictions"
contents=$(unzip -l "$work/feed/NetGen.$version.nupkg")
grep -q 'analyzers/dotnet/cs/NetGen.Generator.dll' <<<"$contents" || fail "generator missing from analyzers/dotnet/cs"
grep -q 'analyzers/dotnet/cs/NetGen.CodeFixes.dll' <<<"$contents" || fail "code fixes missing from analyzers/dotnet/cs"
grep -q 'lib/net10.0/NetGen.dll' <<<"$contents" || fail "runtime missing from lib/net10.0"

# A broken model must fail the build with NG errors on the culprits, never with a generator crash, and code that uses
# a broken model must still compile against its stub: no C# error may come with the NG ones (no CS1729, CS1061, ...).
cat > Program.cs <<'CS'
using NetGen;

var model = new Broken(seed: 1);
model.Fit(new float[1, Broken.InputSize], new[] { 0 }, epochs: 1);
System.Console.WriteLine(model.Predict(new float[Broken.InputSize])[0] + model.HiddenKernel.Length + Broken.OutputSize);
System.Console.WriteLine(new OwnConstructor("label").Label + Broken.Summary);

[Sequential(inputShape: [4], Loss = Loss.SparseCategoricalCrossEntropy)]
[Dense(0, Activation.ReLU, Name = "hidden")]
[Dense(3)]
partial class Broken;

[Sequential(inputShape: [2])]
[Dense(1)]
partial class OwnConstructor
{
    public OwnConstructor(string label) => Label = label;

    public string Label { get; }
}

[Sequential(inputShape: [4], Loss = Loss.MeanSquaredError)]
[Dense(1)]
class NotPartial;

[Sequential(inputShape: [4])]
partial class NoLayers;
CS
if broken=$(dotnet build -c Release --nologo 2>&1); then fail "a broken model compiled"; fi
for id in NG0001 NG0004 NG0018 NG0101 NG0208; do
    grep -q "error $id" <<<"$broken" || { echo "$broken"; fail "expected $id"; }
done
if grep -Eq 'CS8785|AD0001' <<<"$broken"; then echo "$broken"; fail "the generator or analyzer crashed"; fi
if grep -Eq '(error|warning) CS[0-9]{4}' <<<"$broken"; then echo "$broken"; fail "C# errors or warnings beside the NG errors (the stubs must keep the uses compiling)"; fi

# Compiled-in weights through the package's build/NetGen.targets: weights saved by one program, named on [Sequential]
# and listed among the AdditionalFiles, start the model of the next with the same parameters; a file of other shapes
# fails the build with NG0306 alone.
grep -q 'buildTransitive/NetGen.targets' <<<"$contents" || fail "NetGen.targets missing from buildTransitive"
weights_model() {
    cat > Program.cs <<CS
using NetGen;

var model = $1;
$2
System.Console.WriteLine(string.Join(",", model.Parameters.ToArray()));

[Sequential(inputShape: [2]$3)]
[Dense($4, Activation.ReLU, Name = "hidden")]
[Dense(1, Name = "out")]
partial class Net;
CS
}
weights_model "new Net(seed: 3)" 'model.SaveWeights("net.safetensors");' "" 3
dotnet build -c Release -warnaserror --nologo -v quiet
saved=$(dotnet run -c Release --no-build)
sed -i 's|</Project>|  <ItemGroup><AdditionalFiles Include="net.safetensors" /></ItemGroup>\n</Project>|' PackageCheck.csproj
weights_model "Net.FromEmbeddedWeights()" "" ', Weights = "net.safetensors"' 3
dotnet build -c Release -warnaserror --nologo -v quiet || fail "a model with compiled-in weights does not build"
[ "$(dotnet run -c Release --no-build)" = "$saved" ] || fail "the compiled-in weights differ from the saved ones"
weights_model "Net.FromEmbeddedWeights()" "" ', Weights = "net.safetensors"' 4
if wrong=$(dotnet build -c Release --nologo 2>&1); then fail "weights of other shapes compiled in"; fi
grep -q 'error NG0306' <<<"$wrong" || { echo "$wrong"; fail "expected NG0306 for weights of other shapes"; }
if grep -Eq '(error|warning) CS[0-9]{4}' <<<"$wrong"; then echo "$wrong"; fail "C# errors or warnings beside NG0306"; fi
echo "package check: compiled-in weights passed ($(tr ',' '\n' <<<"$saved" | wc -l) parameters, NG0306 on other shapes)"
# Every other C# example in the README, marked ```csharp compile or ```csharp run, becomes a project of its own beside
# the first one: it must build with warnings as errors, and a `run` one must also run (with the sample data it reads).
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="netgen-check" value="$work/feed" />
  </packageSources>
</configuration>
XML
mkdir -p "$work/examples"
awk -v dir="$work/examples" '
    /^```csharp (compile|run)$/ { n++; file = sprintf("%s/%02d-%s.cs", dir, n, $2); inside = 1; next }
    inside && /^```$/ { inside = 0; close(file); next }
    inside { print > file }' "$repo/README.md"
examples=("$work"/examples/*.cs)
[ -e "${examples[0]}" ] || fail "README.md has no \`\`\`csharp compile or \`\`\`csharp run block"
for example in "${examples[@]}"; do
    name=$(basename "$example" .cs)
    mkdir "$work/$name"
    cp "$work/app/PackageCheck.csproj" "$work/$name/"
    cp "$example" "$work/$name/Program.cs"
    cd "$work/$name"
    dotnet build -c Release -warnaserror --nologo -v quiet || fail "README example $name does not build"
    if [[ "$name" == *-run ]]; then
        cp "$repo/samples/data/sklearn/iris.csv" .
        output=$(dotnet run -c Release --no-build) || { echo "$output"; fail "README example $name failed when run"; }
        echo "$output"
        [ -n "$output" ] || fail "README example $name printed nothing"
    fi
    echo "package check: README example $name passed"
done

echo "package check: passed (NetGen $version)"
