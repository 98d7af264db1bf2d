#!/usr/bin/env bash
# Installs what the CUDA checks need on a machine without a GPU (Debian bookworm):
#   NVRTC (libnvrtc11.2 + libnvrtc-builtins11.8, from the contrib/non-free components) for the compile check,
#   g++ for the CPU simulator (tests/CudaSim), then builds the simulator.
# Idempotent; safe to run again. Needs root (or sudo) for apt-get.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

have_nvrtc() { ldconfig -p 2>/dev/null | grep -q 'libnvrtc\.so'; }

if ! have_nvrtc || ! command -v g++ >/dev/null; then
  src=/etc/apt/sources.list.d/ganaudio-contrib-nonfree.sources
  if [ ! -f "$src" ]; then
    $SUDO tee "$src" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    libnvrtc11.2 libnvrtc-builtins11.8 g++ make >/dev/null
fi

make -s -C "$repo/tests/CudaSim" -j"$(nproc)"
echo "cuda tools: nvrtc $(ldconfig -p | grep -o 'libnvrtc\.so[.0-9]*' | head -1), simulator in tests/CudaSim/build"
