#!/usr/bin/env bash
# The whole GPU check in one command, run from the repository root on a machine with nothing installed (no .NET):
#   tools/gpu/check.sh OUTDIR [--quick]
# It unpacks .gpu/bundle.tar.xz (tools/gpu/pack.sh), finds the NVIDIA driver and the CUDA libraries (the system's,
# /usr/local/cuda, and the pip wheels' folders of the python3 on the PATH), then, each part under its own time limit:
#   1. bench/Bench `step` on cuda: WaveGAN d = 32 and d = 64, batch 64, 16384 samples (critic step with the gradient
#      penalty + generator step + Adam), and the same iteration in PyTorch (bench/torch/wavegan_step.py);
#   2. every test program of the bundle (Kernels, Tensor, Nn, GanApp tests; cuDNN tests included) on the GPU;
#   3. a short digits training (GanApp train --preset cpu on cuda, a fixed wall-clock budget), then GanApp eval with the
#      bundled classifier;
#   4. bench/Bench `kernels --device cuda`: every CUDA kernel's median time, GB/s or GFLOP/s and share of the device's peak
#      (elementwise, reductions, copies, Adam, GEMM, conv1d fwd/dX/dW on the WaveGAN shapes at d = 32 and 64, batch 64).
# OUTDIR gets at most 8 files: summary.md (the table, also printed at the end), env.txt, bench.txt, tests.tar.gz (trx
# files and the runners' logs), train.txt, eval.json, check.log (part 4 is appended to bench.txt). The whole check ends
# within GPU_CHECK_SECONDS (520).
# Without a GPU driver it runs on the CPU simulator's stand-in driver (tests/CudaSim/build) when that is built.
# --quick: small shapes, a few test classes and a training of at most 15 s or 3 steps (the simulator proof in .ci/run).
set -uo pipefail
{ # the whole script is read before it runs, so editing this file cannot disturb a check in progress
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then echo "usage: tools/gpu/check.sh OUTDIR [--quick]" >&2; exit 2; fi
mkdir -p "$1" || { echo "check.sh: cannot create the output folder '$1'" >&2; exit 2; }
out="$(cd "$1" && pwd)"
quick=0
[ "${2:-}" = "--quick" ] && quick=1
[ $# -gt 1 ] && [ "$quick" = 0 ] && { echo "check.sh: unknown option '$2' (only --quick)" >&2; exit 2; }
t0=$(date +%s)
deadline=$((t0 + ${GPU_CHECK_SECONDS:-520}))
work="$repo/.gpu/run"
rm -rf "$work"
mkdir -p "$work/logs" "$work/home"
exec > >(tee "$out/check.log") 2>&1
left() { echo $((deadline - $(date +%s))); }
# limit N: N seconds, or what is left before the deadline less a reserve for the summary, at least 5
limit() { local l; l=$(( $(left) - 10 )); [ "$l" -gt "$1" ] && l=$1; [ "$l" -lt 5 ] && l=5; echo "$l"; }
say() { echo "[check $(( $(date +%s) - t0 ))s] $*"; }

# ---- the bundle -------------------------------------------------------------------------------------------------
bundle="$repo/.gpu/bundle.tar.xz"
app="$repo/.gpu/unpacked/app"
data="$repo/.gpu/unpacked/data"
if [ ! -f "$bundle" ]; then echo "check.sh: no bundle at $bundle: run tools/gpu/pack.sh first (and carry .gpu/bundle.tar.xz)" >&2; exit 1; fi
if [ ! -x "$app/GanApp" ] || [ "$bundle" -nt "$repo/.gpu/unpacked/.done" ]; then
  say "unpacking $(du -h "$bundle" | cut -f1) bundle"
  rm -rf "$repo/.gpu/unpacked"
  mkdir -p "$repo/.gpu/unpacked"
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$bundle" | tar -C "$repo/.gpu/unpacked" -xf - || { echo "check.sh: could not unpack $bundle" >&2; exit 1; }
  else
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$bundle" "$repo/.gpu/unpacked" \
      || { echo "check.sh: could not unpack $bundle (no xz, and python3 failed)" >&2; exit 1; }
  fi
  touch "$repo/.gpu/unpacked/.done"
fi

# ---- driver and libraries ---------------------------------------------------------------------------------------
export HOME="${HOME:-$work/home}" GANAUDIO_CACHE="$work/cache" GANAUDIO_CUDA_CACHE="$work/kernel-cache"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PYTHONUNBUFFERED=1
libdirs=()
add_dir() { local d; for d in "$@"; do [ -d "$d" ] && case " ${libdirs[*]-} " in *" $d "*) ;; *) libdirs+=("$d") ;; esac; done; }
first_lib() { # first_lib NAME...: the first path of these names in libdirs, then the loader cache
  local n d
  for n in "$@"; do for d in "${libdirs[@]-}"; do [ -n "$d" ] && [ -e "$d/$n" ] && { echo "$d/$n"; return 0; }; done; done
  for n in "$@"; do $ldconfig -p 2>/dev/null | awk -v n="$n" '$1 == n { print $NF; exit }' | grep . && return 0; done
  return 1
}
ldconfig=$(command -v ldconfig || ls /sbin/ldconfig /usr/sbin/ldconfig 2>/dev/null | head -1); ldconfig=${ldconfig:-true}
driver=""
# the driver: the usual folders, then the loader's cache, then CUDA's forward-compatibility copy (stubs never)
for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/wsl/lib; do
  [ -e "$d/libcuda.so.1" ] && { driver="$d/libcuda.so.1"; add_dir "$d"; break; }
done
[ -z "$driver" ] && driver=$($ldconfig -p 2>/dev/null | awk '$1 == "libcuda.so.1" && $NF !~ /stubs/ { print $NF; exit }')
[ -z "$driver" ] && [ -e /usr/local/cuda/compat/libcuda.so.1 ] && { driver=/usr/local/cuda/compat/libcuda.so.1; add_dir /usr/local/cuda/compat; }
# the python3 on the PATH: its site-packages' nvidia/*/lib folders (CUDA 13 wheels: nvidia/cu13/lib; cuDNN, NCCL: their own)
pydirs=$(python3 -c 'import site, sys; print("\n".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null | sort -u)
for sp in $pydirs; do
  [ -d "$sp/nvidia" ] || continue
  while IFS= read -r f; do add_dir "$(dirname "$f")"; done < <(find "$sp/nvidia" -maxdepth 4 \( -name 'libnvrtc.so*' -o -name 'libcublas.so*' -o -name 'libcudnn.so*' -o -name 'libcublasLt.so*' \) 2>/dev/null | sort)
done
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-*/lib64; do add_dir "$d"; done
mode=gpu
if [ -z "$driver" ]; then
  if [ -e "$repo/tests/CudaSim/build/libcuda.so.1" ]; then
    mode=simulator
    driver="$repo/tests/CudaSim/build/libcuda.so.1"
    libdirs=("$repo/tests/CudaSim/build" ${libdirs[@]+"${libdirs[@]}"})
  else
    mode=none
  fi
fi
path_list=$(IFS=:; echo "${libdirs[*]-}")
# On a GPU the folders go on LD_LIBRARY_PATH (cuBLAS and cuDNN load their own parts by name from there); on the
# simulator GanApp and Bench get its folder through GANAUDIO_CUDA_PATH. The test programs never see
# GANAUDIO_CUDA_PATH: some of them check what happens when a library is missing from a given folder.
if [ "$mode" = gpu ]; then
  export LD_LIBRARY_PATH="$path_list${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" GANAUDIO_CUDA_TESTS=real
else
  export GANAUDIO_CUDA_PATH="$path_list" GANAUDIO_CUDA_TESTS=sim
fi
{
  echo "mode: $mode"
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); bundle of commit $(cat "$repo/.gpu/unpacked/commit" 2>/dev/null); repository $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "bundle data: $(cat "$data/recipe" 2>/dev/null || echo '?')"
  echo "host: $(uname -srm); $(nproc) cores; $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 | sed 's/^/gpu: /'
    nvidia-smi 2>/dev/null | grep -o 'CUDA Version: [0-9.]*' | head -1
  else
    echo "gpu: no nvidia-smi"
  fi
  echo "driver library: ${driver:-none} -> $( [ -n "$driver" ] && readlink -f "$driver")"
  for names in "libnvrtc.so.13 libnvrtc.so.12 libnvrtc.so.11.2 libnvrtc.so" "libcublas.so.13 libcublas.so.12 libcublas.so.11 libcublas.so" \
               "libcudnn.so.9 libcudnn.so.8 libcudnn.so"; do
    # shellcheck disable=SC2086
    f=$(first_lib $names) && echo "library: $f -> $(readlink -f "$f")" || echo "library: none of $names"
  done
  echo "python3: $(command -v python3 || echo none) $(python3 -c 'import sys; print(sys.version.split()[0])' 2>/dev/null)"
  python3 -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, "cuDNN", torch.backends.cudnn.version())' 2>&1 | tail -1
  echo "library folders: $path_list"
} >"$out/env.txt" 2>&1
cat "$out/env.txt"
if [ "$mode" = none ]; then echo "check.sh: no CUDA driver (libcuda.so.1) and no simulator (make -C tests/CudaSim): nothing to check" >&2; exit 1; fi
device=cuda

# ---- 1. the training step: ours, then PyTorch ------------------------------------------------------------------
if [ "$quick" = 1 ]; then bench_args=(--batch 2 --iters 2 --warmup 1); ds=(2); py_args=(--batch 2 --iters 2 --warmup 1 --d 2)
else bench_args=(--batch 64 --iters 10 --warmup 2); ds=(32 64); py_args=(--batch 64 --iters 10 --warmup 2 --d 32 --d 64); fi
: >"$work/bench.txt"
for d in "${ds[@]}"; do
  lim=$(limit $([ "$quick" = 1 ] && echo 120 || { [ "$d" -ge 64 ] && echo 70 || echo 50; }))
  say "ours: step d=$d (limit ${lim}s)"
  timeout -k 5 "$lim" "$app/GanAudio.Bench" step --device "$device" --d "$d" "${bench_args[@]}" >>"$work/bench.txt" 2>&1
  rc=$?; [ $rc -eq 124 ] || [ $rc -eq 137 ] && echo "TIMEOUT ours d=$d after ${lim}s" >>"$work/bench.txt"
done
lim=$(limit 70)
say "PyTorch: step (limit ${lim}s)"
if command -v python3 >/dev/null 2>&1; then
  timeout -k 5 "$lim" python3 "$repo/bench/torch/wavegan_step.py" "${py_args[@]}" >"$work/torch.txt" 2>&1
  rc=$?; [ $rc -eq 124 ] || [ $rc -eq 137 ] && echo "TIMEOUT PyTorch after ${lim}s" >>"$work/torch.txt"
else
  echo "SKIPPED no python3" >"$work/torch.txt"
fi
{ echo "== ours (bench/Bench step)"; cat "$work/bench.txt"; echo; echo "== PyTorch (bench/torch/wavegan_step.py)"; cat "$work/torch.txt"; } >"$out/bench.txt"
grep -h "RESULT\|SKIPPED\|TIMEOUT\|rror" "$work/bench.txt" "$work/torch.txt"

# ---- 2. the test programs -------------------------------------------------------------------------------------
programs=(GanAudio.Kernels.Tests GanAudio.Tensor.Tests GanAudio.Nn.Tests GanApp.Tests)
declare -A filter
if [ "$quick" = 1 ]; then
  filter[GanAudio.Kernels.Tests]="-class GanAudio.Kernels.Tests.Cuda.CudaGpuOnlyTests -class GanAudio.Kernels.Tests.Cuda.CudaSimulatorTests -class GanAudio.Kernels.Tests.Cuda.CudaErrorTests -class GanAudio.Kernels.Tests.Cuda.CudnnConvTests -class GanAudio.Kernels.Tests.Cuda.CudaPrecisionTests"
  filter[GanAudio.Tensor.Tests]="-class GanAudio.Tensors.Tests.ScopeTests -class GanAudio.Tensors.Tests.ViewTests"
  filter[GanAudio.Nn.Tests]="-class GanAudio.Nn.Tests.AdamFusedTests"
  filter[GanApp.Tests]="-method GanApp.Tests.Training.ResumeTests.CtrlC*" # starts the bundled GanApp (no dotnet)
fi
lim=$(limit $([ "$quick" = 1 ] && echo 120 || echo 200))
say "tests: ${programs[*]} in parallel (limit ${lim}s each)"
pids=()
for p in "${programs[@]}"; do
  (
    s=$(date +%s)
    # shellcheck disable=SC2086
    timeout -s INT -k 30 "$lim" env -u GANAUDIO_CUDA_PATH "$app/$p" ${filter[$p]:-} -noColor -reporter verbose -result-trx "$work/logs/$p.trx" >"$work/logs/$p.log" 2>&1
    echo "$? $(( $(date +%s) - s ))" >"$work/logs/$p.rc"
  ) &
  pids+=($!)
done
wait "${pids[@]}" # (a plain `wait` would also wait for the tee of check.log)
tar -C "$work/logs" -czf "$out/tests.tar.gz" . 2>/dev/null

# ---- 3. a short training on the digits, then eval --------------------------------------------------------------
minutes=1.5; [ "$quick" = 1 ] && minutes=0.25
avail=$(( $(left) - 75 ))
[ "$avail" -lt 150 ] && minutes=$(awk -v a="$avail" 'BEGIN { m = a / 60 - 0.5; if (m < 0.1) m = 0.1; printf "%.2f", m }')
[ "$quick" = 1 ] && minutes=0.25
extra=(--steps 1000000); [ "$quick" = 1 ] && extra=(--model-size 2 --batch 2 --stft-channels 4 --steps 3)
lim=$(limit $(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 + 50 }'))
say "training: digits, preset cpu on $device, $minutes min (limit ${lim}s)"
timeout -s INT -k 30 "$lim" "$app/GanApp" train --data "$data/digits" --device "$device" --preset cpu --minutes "$minutes" \
  --seed 0 --sample-every 0 --checkpoint-every 0 --log-every 50 --out "$work/train-run" ${extra[@]+"${extra[@]}"} >"$work/train.txt" 2>&1
echo "exit $?" >>"$work/train.txt"
lim=$(limit 60)
count=128; [ "$quick" = 1 ] && count=16
say "eval: $count clips (limit ${lim}s)"
timeout -k 5 "$lim" "$app/GanApp" eval --run "$work/train-run" --classifier "$data/classifier" --data "$data/digits" --count "$count" >"$work/eval.txt" 2>&1
echo "exit $?" >>"$work/eval.txt"
{ cat "$work/train.txt"; echo; echo "== eval"; cat "$work/eval.txt"; } >"$out/train.txt"
[ -f "$work/train-run/eval.json" ] && cp "$work/train-run/eval.json" "$out/eval.json"

# ---- 4. the kernel microbenchmarks (CUDA events), appended to bench.txt --------------------------------------------
kargs=(); [ "$quick" = 1 ] && kargs=(--quick)
lim=$(limit 50)
say "kernels: bench/Bench kernels --device $device ${kargs[*]-} (limit ${lim}s)"
timeout -k 5 "$lim" "$app/GanAudio.Bench" kernels --device "$device" ${kargs[@]+"${kargs[@]}"} >"$work/kernels.txt" 2>&1
rc=$?; [ $rc -eq 124 ] || [ $rc -eq 137 ] && echo "TIMEOUT kernels after ${lim}s" >>"$work/kernels.txt"
{ echo; echo "== ours (bench/Bench kernels --device $device ${kargs[*]-})"; cat "$work/kernels.txt"; } >>"$out/bench.txt"
grep -h "^peak\|TIMEOUT\|rror" "$work/kernels.txt"

# ---- summary --------------------------------------------------------------------------------------------------
bash "$repo/tools/gpu/summary.sh" "$work" "$out" "$mode" "$quick" "$(( $(date +%s) - t0 ))" >"$out/summary.md"
cat "$out/summary.md"
say "done; files in $out: $(ls "$out" | tr '\n' ' ')"
exit 0
}
