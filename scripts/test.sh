#!/usr/bin/env bash
# Builds everything from scratch-or-cache and runs the whole test suite (what CI runs).
#   1. the engine + CLI alone (-DNC_WITH_QT=OFF -DNC_WITH_OPENCV=OFF), trained briefly on `shapes`
#   2. the full build with Qt, and every QtTest executable through CTest
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${NC_JOBS:-$(nproc)}
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

echo "== engine-only build (no Qt, no OpenCV)"
cmake -S . -B build-noqt "${generator[@]}" -DNC_WITH_QT=OFF -DNC_WITH_OPENCV=OFF >/dev/null
cmake --build build-noqt -j "$jobs" --target neuralcanvas-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build-noqt/app/neuralcanvas-cli new --template mlp --dataset shapes:300 -o "$tmp/smoke.ncproj"
build-noqt/app/neuralcanvas-cli train "$tmp/smoke.ncproj" --epochs 1 --out "$tmp/run" --json | tail -n 1

echo "== full build and tests"
cmake -S . -B build "${generator[@]}" >/dev/null
cmake --build build -j "$jobs"
cd build
ctest --output-on-failure -j "$jobs" --timeout 900
