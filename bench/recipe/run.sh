#!/usr/bin/env bash
# Trains the recipe on one data set for several seeds and evaluates each run with GanApp eval (real held-out and
# uniform-noise baselines), printing one row per seed: the figures the README's recipe tables quote.
#
#   bench/recipe/run.sh gtzan  [minutes] [seeds] [extra train options…]   classical + metal of ../shared/data/gtzan-mini, conditional
#   bench/recipe/run.sh tones  [minutes] [seeds] [extra train options…]   the built-in tones (the demo's data)
#   bench/recipe/run.sh digits [minutes] [seeds] [extra train options…]   a digits set made by 'GanApp data synth --kind digits'
#
# Runs go to bench/recipe/out/<set>-s<seed>; the classifier for each set is trained once into bench/recipe/out/clf-<set>.
# THREADS (default 0 = all cores) and PARALLEL (default 1: runs one after another) set how runs share the machine.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
set_name="${1:?usage: run.sh gtzan|tones|digits [minutes] [seeds] [train options…]}"
minutes="${2:-10}"
seeds="${3:-0,1,2}"
shift $(( $# < 3 ? $# : 3 ))
out="$repo/bench/recipe/out"
mkdir -p "$out"
dotnet build "$repo/src/GanApp" -c Release -v q -nologo >/dev/null
app="$repo/src/GanApp/bin/Release/net10.0/GanApp"
shared="$repo/../shared/data"
case "$set_name" in
  gtzan)  data=(--data "$shared/gtzan-mini" --genres classical,metal --conditional); clf=(--data "$shared/gtzan-mini" --genres classical metal) ;;
  tones)  data=(); clf=() ;;
  digits) dir="$out/digits-data"; [ -d "$dir" ] || "$app" data synth --kind digits --out "$dir"
          data=(--data "$dir"); clf=(--data "$dir") ;;
  *) echo "run.sh: unknown set '$set_name'; use gtzan, tones or digits" >&2; exit 2 ;;
esac
[ -f "$out/clf-$set_name/classifier.json" ] || "$app" classifier train "${clf[@]}" --out "$out/clf-$set_name" >"$out/clf-$set_name.log"
run_one() {
  local seed="$1"; shift
  local run="$out/$set_name-s$seed"
  rm -rf "$run"
  "$app" train "${data[@]}" --seed "$seed" --minutes "$minutes" --threads "${THREADS:-0}" --sample-every 0 \
      --checkpoint-every 500 --log-every 100 --out "$run" "$@" >"$run.log" 2>&1
  "$app" eval --run "$run" --classifier "$out/clf-$set_name" --count 128 >"$run.eval" 2>&1
}
IFS=',' read -ra list <<<"$seeds"
pids=()
for s in "${list[@]}"; do
  run_one "$s" "$@" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "${PARALLEL:-1}" ]; then wait "${pids[@]}"; pids=(); fi
done
[ "${#pids[@]}" -eq 0 ] || wait "${pids[@]}"
for s in "${list[@]}"; do
  echo "== $set_name seed $s: $(grep -o 'done: [0-9]* steps in [0-9]* s' "$out/$set_name-s$s.log")"
  grep -E 'Inception|Fréchet|class accuracy|nearest|pitch|per-class|top class' "$out/$set_name-s$s.eval" || cat "$out/$set_name-s$s.eval"
done
