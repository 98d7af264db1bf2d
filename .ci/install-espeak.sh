#!/usr/bin/env bash
# Installs Debian's espeak-ng for the speech data set (GanApp data synth --kind digits) and its tests. Idempotent: does
# nothing when espeak-ng already runs. Uses sudo when not root.
set -euo pipefail
if command -v espeak-ng >/dev/null 2>&1 && espeak-ng --version >/dev/null 2>&1; then
  echo "espeak-ng: $(espeak-ng --version | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends espeak-ng >/dev/null
echo "espeak-ng: $(espeak-ng --version | head -1)"
