#!/usr/bin/env bash
# Builds the GPU bundle: .gpu/bundle.tar.xz, one self-contained linux-x64 folder (no .NET needed where it runs) with
#   the test programs (Kernels, Tensor, Nn, GanApp tests; xunit.v3 programs that run their own tests), GanApp and
#   bench/Bench, sharing one copy of the .NET runtime;
#   data/digits: the spoken-digits set (GanApp data synth --kind digits, needs espeak-ng here) and
#   data/classifier: the digits classifier (GanApp classifier train), both made on this machine.
# .gpu/ is ignored by git; the device tool takes it with carry: [".gpu/bundle.tar.xz"]. tools/gpu/check.sh unpacks it.
# Usage: tools/gpu/pack.sh [--voices N]   (default 12 voices × 10 words; the set and classifier are reused when present)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
voices=12
while [ $# -gt 0 ]; do
  case "$1" in
    --voices) voices="$2"; shift 2 ;;
    *) echo "pack.sh: unknown option '$1' (use --voices N)" >&2; exit 2 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$repo/.gpu"
stage="$out/stage"
build="$out/build"
rm -rf "$stage/app"
mkdir -p "$stage/app" "$build"

# One folder for all six programs: the runtime and the shared libraries are stored once. Builds go to .gpu/build
# (--artifacts-path), so the RID-specific restore never touches the projects' own bin/ and obj/.
projects=(tests/Kernels.Tests/Kernels.Tests.csproj tests/Tensor.Tests/Tensor.Tests.csproj tests/Nn.Tests/Nn.Tests.csproj
          tests/GanApp.Tests/GanApp.Tests.csproj src/GanApp/GanApp.csproj bench/Bench/Bench.csproj)
for p in "${projects[@]}"; do
  echo "pack: publishing $p"
  # PlaywrightPlatform=none: no browser driver (node) in the bundle; the report test skips without Chromium anyway
  dotnet publish "$p" -c Release -r linux-x64 --self-contained true -o "$stage/app" --artifacts-path "$build" \
    -p:GanAudioSkipCudaSim=true -p:PlaywrightPlatform=none -p:SatelliteResourceLanguages=en -v:q -nologo >"$out/publish.log" 2>&1 \
    || { tail -30 "$out/publish.log" >&2; echo "pack.sh: dotnet publish $p failed (log: $out/publish.log)" >&2; exit 1; }
done
# Not needed to run: symbols, and Microsoft.CodeCoverage's collector files (content of the test SDK, used only by
# `dotnet test --collect`, listed in no .deps.json).
( cd "$stage/app" && rm -rf ./*.pdb CodeCoverage alpine ubuntu macos arm64 x86 x64 Microsoft.CodeCoverage.props Microsoft.CodeCoverage.targets )

app="$stage/app/GanApp"
# The data and the classifier are made once and reused (delete .gpu/stage/data to make them again).
if [ ! -f "$stage/data/digits/labels.csv" ] || [ "$(cat "$stage/data/voices" 2>/dev/null)" != "$voices" ]; then
  rm -rf "$stage/data"
  mkdir -p "$stage/data"
  command -v espeak-ng >/dev/null || { echo "pack.sh: espeak-ng is needed for the digits set: run .ci/install-espeak.sh" >&2; exit 1; }
  "$app" data synth --kind digits --out "$stage/data/digits" --voices "$voices" --seed 1
  echo "$voices" >"$stage/data/voices"
fi
if [ ! -f "$stage/data/classifier/classifier.json" ]; then
  echo "pack: training the digits classifier (CPU)"
  "$app" classifier train --data "$stage/data/digits" --out "$stage/data/classifier" --seed 0
fi
git rev-parse HEAD >"$stage/commit" 2>/dev/null || echo unknown >"$stage/commit"

echo "pack: compressing"
tar -C "$stage" -cf - app data commit | xz -T2 -6 >"$out/bundle.tar.xz.tmp"
mv "$out/bundle.tar.xz.tmp" "$out/bundle.tar.xz"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
bundle=$(stat -c %s "$out/bundle.tar.xz")
unpacked=$(du -sb "$stage/app" "$stage/data" | awk '{ s += $1 } END { print s }')
# what travels: tracked + untracked-not-ignored files, plus the bundle
tree=$(git ls-files -z --cached --others --exclude-standard | xargs -0 stat -c %s 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
echo "bundle: $out/bundle.tar.xz $(mib "$bundle") (unpacked $(mib "$unpacked")); repository files $(mib "$tree"); together $(mib $((bundle + tree))) of 56 MiB"
if [ $((bundle + tree)) -gt $((56 * 1048576)) ]; then echo "pack.sh: bundle + repository exceed 56 MiB" >&2; exit 1; fi
