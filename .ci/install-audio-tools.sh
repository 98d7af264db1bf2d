#!/usr/bin/env bash
# Installs the encoders the compressed-format tests use to make their own MP3/Ogg/FLAC files (lame, oggenc, flac);
# flac is also the program GanApp decodes FLAC with. Without them those tests report skipped.
set -euo pipefail
if command -v lame >/dev/null && command -v oggenc >/dev/null && command -v flac >/dev/null; then
  echo "audio tools: already installed"; exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  apt-get install -y -qq lame vorbis-tools flac >/dev/null || echo "audio tools: apt-get install failed; the compressed-format tests will be skipped"
else
  echo "audio tools: not root or no apt-get; install lame, vorbis-tools and flac for the compressed-format tests"
fi
