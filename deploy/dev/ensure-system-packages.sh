#!/usr/bin/env bash
# Install the Debian packages Interlude needs beyond Python: the guided-audio pipeline
# (services/catalog/adapters/audio.py) speaks with espeak-ng and processes and encodes with sox.
# Idempotent: does nothing (not even `apt-get update`) when every package is already installed.
set -euo pipefail

PACKAGES=(
  libharfbuzz-subset0  # WeasyPrint subsets embedded fonts with it; without it fontTools takes ~70% of a render
  espeak-ng        # text to speech, SSML mode for the [pause Ns] markers
  sox              # reverb, noise bed, fades, normalising; `soxi` measures durations in tests
  libsox-fmt-base  # sox's WAV and Ogg Vorbis support
  libsox-fmt-mp3   # sox's MP3 encoder (LAME)
  wrk              # HTTP load generator of `make bench` (benchmarks/http_reads.py)
  chromium         # the web app's browser tests (tests/browser/) drive it through Playwright
)

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

missing=()
for package in "${PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run this script as root, or: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "System packages installed."
