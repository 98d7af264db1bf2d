#!/usr/bin/env bash
# The summary table of tools/gpu/check.sh (markdown), from the logs of its work folder:
#   tools/gpu/summary.sh WORKDIR OUTDIR MODE QUICK SECONDS
set -uo pipefail
work="$1" out="$2" mode="$3" quick="$4" secs="$5"
env_line() { grep -m1 "^$1" "$out/env.txt" 2>/dev/null | sed "s/^$1 *//"; }
gpu=$(env_line "gpu:"); [ "$mode" = simulator ] && gpu="CPU simulator (tests/CudaSim stand-in driver), no GPU"
echo "## GPU check: $gpu"
echo
facts=("$(env_line "date:")" "$(grep -m1 'CUDA Version' "$out/env.txt" 2>/dev/null)" "$(env_line "torch" | sed 's/^./torch &/')" \
       "bundle data: $(env_line "bundle data:")")
line=""; for f in "${facts[@]}"; do [ -n "$f" ] && line="${line:+$line; }$f"; done
echo "$line"
[ "$quick" = 1 ] && echo "(--quick: small shapes, a few test classes, a training of at most 15 s or 3 steps: a proof of the machinery, not a measurement)"
echo "whole check: ${secs} s"
echo
echo "| tests | passed | failed | skipped | not run | time | note |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
tp=0 tf=0 ts=0
for rcf in "$work"/logs/*.rc; do
  [ -f "$rcf" ] || continue
  p=$(basename "$rcf" .rc); log="$work/logs/$p.log"
  read -r rc s <"$rcf"
  line=$(grep -m1 -E "^ +$p +Total: " "$log" 2>/dev/null)
  note=""
  if [ -n "$line" ]; then
    get() { echo "$line" | sed -n "s/.* $1: \([0-9]*\).*/\1/p"; }
    total=$(get Total) failed=$(( $(get Failed) + $(get Errors) )) skipped=$(get Skipped) notrun=$(get "Not Run")
    passed=$(( total - failed - skipped - notrun ))
  else # killed before its summary: count the verbose reporter's lines
    fin=$(grep -c '\[FINISHED\]' "$log" 2>/dev/null); failed=$(grep -c '\[FAIL\]' "$log" 2>/dev/null); skipped=$(grep -c '\[SKIP\]' "$log" 2>/dev/null)
    passed=$(( fin - failed - skipped )); notrun="?"; note="killed; counted from the log"
  fi
  case "$rc" in
    0|1) ;;
    124) note="${note:+$note; }stopped at its time limit" ;;
    137) note="${note:+$note; }killed at its time limit" ;;
    *) note="${note:+$note; }exit $rc$(grep -m1 -iE 'error|exception' "$log" | cut -c1-80 | sed 's/|/\\|/g; s/^/: /')" ;;
  esac
  tp=$((tp + passed)) tf=$((tf + failed)) ts=$((ts + skipped))
  echo "| $p | $passed | $failed | $skipped | $notrun | ${s} s | $note |"
done
echo "| **all** | **$tp** | **$tf** | **$ts** | | | |"
echo
echo "| training step (WaveGAN WGAN-GP, medians) | ours ms | PyTorch ms | ours / PyTorch | ours peak MiB | PyTorch peak MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
torch_skip=$(grep -m1 -E '^SKIPPED|^TIMEOUT' "$work/torch.txt" 2>/dev/null | cut -d' ' -f2-)
[ -z "$torch_skip" ] && ! grep -q '^RESULT' "$work/torch.txt" 2>/dev/null && torch_skip="failed: $(grep -m1 -iE 'error' "$work/torch.txt" | cut -c1-60)"
for d in $(grep -ho '^RESULT d=[0-9]*\|^TIMEOUT ours d=[0-9]*' "$work/bench.txt" "$work/torch.txt" 2>/dev/null | grep -o '[0-9]*$' | sort -nu); do
  ours=$(grep -m1 "^RESULT d=$d " "$work/bench.txt"); theirs=$(grep -m1 "^RESULT d=$d " "$work/torch.txt" 2>/dev/null)
  batch=$(field "${ours:-$theirs}" batch)
  [ -z "$batch" ] && batch=$(grep -m1 -o 'batch [0-9]*' "$work/bench.txt" | grep -o '[0-9]*')
  for phase in critic gen iter; do
    o=$(field "$ours" "${phase}_ms"); t=$(field "$theirs" "${phase}_ms")
    ratio=$( [ -n "$o" ] && [ -n "$t" ] && awk -v o="$o" -v t="$t" 'BEGIN { printf "%.2f", o / t }')
    [ -z "$o" ] && o=$(grep -q "TIMEOUT ours d=$d" "$work/bench.txt" && echo "timed out" || echo "failed")
    [ -z "$t" ] && t="skipped: ${torch_skip:-no result}"
    pk_o=""; pk_t=""
    [ "$phase" = iter ] && { pk_o=$(field "$ours" peak_mib); pk_t=$(field "$theirs" peak_mib); }
    echo "| d = $d, batch $batch, $phase | $o | $t | ${ratio:-} | $pk_o | $pk_t |"
  done
done
echo
steps=$(grep -o 'done: [0-9]* steps' "$work/train.txt" 2>/dev/null | grep -o '[0-9]*' | tail -1)
[ -z "$steps" ] && steps=$(grep -o 'stopped at step [0-9]*' "$work/train.txt" 2>/dev/null | grep -o '[0-9]*$' | tail -1)
budget=$(grep -m1 -o 'training for [0-9.]* minutes' "$work/train.txt" 2>/dev/null)
echo "| short training (digits, preset cpu, on the device) | |"
echo "| --- | --- |"
echo "| budget | ${budget:-?} |"
echo "| steps done | ${steps:-none ($(tail -2 "$work/train.txt" 2>/dev/null | head -1 | cut -c1-80))} |"
echo
krows=$(grep -c ' of peak$' "$work/kernels.txt" 2>/dev/null); krows=${krows:-0}
echo "CUDA kernel microbenchmarks (bench.txt, last section): $krows rows$(grep -m1 -o '^TIMEOUT.*' "$work/kernels.txt" 2>/dev/null | sed 's/^/; /')"
echo
if [ -f "$out/eval.json" ]; then
  # eval's own table (its box lines as markdown rows): generated clips beside held-out real clips and uniform noise
  echo "| eval ($(grep -o 'evaluation at step [0-9]*' "$work/eval.txt" | head -1)) | generated | real (held-out) | uniform noise |"
  echo "| --- | ---: | ---: | ---: |"
  grep -E '^(│|[|]) (Inception Score|Fréchet distance|class accuracy|classes covered|nearest-neighbour|clips) ' "$work/eval.txt" \
    | sed 's/│/|/g; s/  */ /g'
else
  echo "eval: no eval.json ($(grep -v '^exit' "$work/eval.txt" 2>/dev/null | tail -1 | cut -c1-100))"
fi
