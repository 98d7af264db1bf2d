#!/usr/bin/env bash
# Builds the GPU bundle: .gpu/bundle.tar.xz, one self-contained linux-x64 folder (no .NET needed where it runs) with
#   the test programs (Kernels, Tensor, Nn, GanApp tests; xunit.v3 programs that run their own tests), GanApp and
#   bench/Bench, sharing one copy of the .NET runtime;
#   data/digits: the spoken-digits set (GanApp data synth --kind digits, needs espeak-ng here) and
#   data/classifier: the digits classifier (GanApp classifier train), both made on this machine (data/recipe says how).
# .gpu/ is ignored by git; the device tool takes it with carry: [".gpu/bundle.tar.xz"]. tools/gpu/check.sh unpacks it.
# Usage: tools/gpu/pack.sh [--voices N] [--quick]
#   --voices N: speakers of the digits set (default 12: 120 clips); the set and the classifier are kept in
#               .gpu/data-vN and reused while their recipe is unchanged.
#   --quick:    3 voices, a one-net classifier of 2 epochs, light compression: for the simulator proof in CI only.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
voices=12 quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --voices) [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "pack.sh: --voices needs a number of speakers, e.g. --voices 12" >&2; exit 2; }
              voices="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    *) echo "pack.sh: unknown option '$1' (use --voices N or --quick)" >&2; exit 2 ;;
  esac
done
classifier_args=(--seed 0); xz_level=-6
[ "$quick" = 1 ] && { voices=3; classifier_args=(--seed 0 --members 1 --epochs 2 --conv-bands 64 --band-shift 0); xz_level=-1; }
recipe="voices $voices; classifier ${classifier_args[*]}"
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
# The data and the classifier are made once per recipe, in a folder of their own (.gpu/data-v12, .gpu/data-quick),
# and reused while the recipe is unchanged (delete the folder to make them again).
datadir="$out/data-$([ "$quick" = 1 ] && echo quick || echo "v$voices")"
if [ "$(cat "$datadir/recipe" 2>/dev/null)" != "$recipe" ] || [ ! -f "$datadir/classifier/classifier.json" ]; then
  rm -rf "$datadir"
  mkdir -p "$datadir"
  command -v espeak-ng >/dev/null || { echo "pack.sh: espeak-ng is needed for the digits set: run .ci/install-espeak.sh" >&2; exit 1; }
  "$app" data synth --kind digits --out "$datadir/digits" --voices "$voices" --seed 1
  echo "pack: training the digits classifier (CPU)"
  "$app" classifier train --data "$datadir/digits" --out "$datadir/classifier" "${classifier_args[@]}"
  echo "$recipe" >"$datadir/recipe"
fi
git rev-parse HEAD >"$stage/commit" 2>/dev/null || echo unknown >"$stage/commit"

echo "pack: compressing"
tar -cf - -C "$stage" app commit -C "$out" --transform "s,^$(basename "$datadir"),data," "$(basename "$datadir")" | xz -T2 "$xz_level" >"$out/bundle.tar.xz.tmp"
mv "$out/bundle.tar.xz.tmp" "$out/bundle.tar.xz"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
bundle=$(stat -c %s "$out/bundle.tar.xz")
unpacked=$(du -sb "$stage/app" "$datadir" | awk '{ s += $1 } END { print s }')
# what travels: tracked + untracked-not-ignored files, plus the bundle
tree=$(git ls-files -z --cached --others --exclude-standard | xargs -0 stat -c %s 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
echo "bundle: $out/bundle.tar.xz $(mib "$bundle") (unpacked $(mib "$unpacked")); repository files $(mib "$tree"); together $(mib $((bundle + tree))) of 56 MiB"
if [ $((bundle + tree)) -gt $((56 * 1048576)) ]; then echo "pack.sh: bundle + repository exceed 56 MiB" >&2; exit 1; fi
