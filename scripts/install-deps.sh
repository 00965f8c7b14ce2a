#!/usr/bin/env bash
# Installs every Debian package NeuralCanvas needs to build, test and run (DESIGN §1).
# Idempotent: packages already present are skipped by apt. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  # GUI and tests
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qt6-httpserver-dev qt6-websockets-dev
  qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools linguist-qt6 libgl-dev
  xvfb xauth
  # CJK glyphs for the zh_CN translation (without it Chinese text renders as boxes)
  fonts-noto-cjk qt6-translations-l10n
  # engine
  libtorch-dev libopenblas0-pthread nlohmann-json3-dev zlib1g-dev
  # serving (Boost.Beast + Asio, headers only) and the clients its tests use
  libboost-dev curl python3-requests python3-prometheus-client
  # serving benchmark peers and load (bench/serve-bench.sh)
  hey python3-flask gunicorn bc util-linux
  # images and ONNX
  libopencv-dev libonnx-dev libprotobuf-dev protobuf-compiler
  # TFLite export (FlatBuffers: flatc compiles our schema subset) and ArmNN's TFLite parser with
  # its CpuRef backend, one of the two runtimes that check TFLite exports
  flatbuffers-compiler libflatbuffers-dev python3-pyarmnn libarmnn-cpuref-backend22
  # real data
  dataset-fashion-mnist
  # peers and independent runtimes for benchmarks and export checks
  python3 python3-torch python3-opencv python3-onnx python3-pil python3-numpy
  # the image-folder peer (bench/image-folder-bench.sh: torchvision ImageFolder + DataLoader)
  python3-torchvision
  # the sweep benchmark's peer (bench/sweep-bench.sh: Optuna's TPE + SuccessiveHalvingPruner)
  python3-optuna
  # Node.js: ONNX Runtime (npm onnxruntime-node) checks ONNX exports, see below
  nodejs
  # fuzzing the file readers (scripts/fuzz.sh): clang++ and its libFuzzer/ASan/UBSan runtimes
  clang-14 libclang-rt-14-dev
)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi

# Debian's default BLAS is the slow reference one; prefer OpenBLAS (pthread) for torch's CPU math.
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  cand=$(update-alternatives --list "$alt" 2>/dev/null | grep openblas-pthread | head -n1 || true)
  if [ -n "$cand" ]; then $SUDO update-alternatives --set "$alt" "$cand" >/dev/null; fi
done

# ONNX Runtime for checking ONNX exports (DESIGN §1: a pinned npm package, verification only, never
# needed to run the app), into the git-ignored .exportcheck/ of this checkout, where
# `export --verify` and the tests look for it. Its CPU library ships inside the package, so the
# post-install download is skipped.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ort_version=1.30.0
ort_dir="$root/.exportcheck"
if ! command -v npm >/dev/null; then # some Node.js builds bring their own npm; Debian's is a package
  $SUDO apt-get install -y -qq --no-install-recommends npm
fi
if [ "$(node -p "require('$ort_dir/node_modules/onnxruntime-node/package.json').version" 2>/dev/null)" != "$ort_version" ]; then
  echo "install-deps: installing onnxruntime-node@$ort_version into .exportcheck/"
  mkdir -p "$ort_dir"
  (cd "$ort_dir" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error \
      --prefix "$ort_dir" "onnxruntime-node@$ort_version" >/dev/null)
fi
# LiteRT (Google's TFLite runtime, in WebAssembly) checks TFLite exports beside ArmNN, run under
# Node.js with a small loader shim (resources/tools/check_export.py).
litert_version=2.5.3
if [ "$(node -p "require('$ort_dir/node_modules/@litertjs/core/package.json').version" 2>/dev/null)" != "$litert_version" ]; then
  echo "install-deps: installing @litertjs/core@$litert_version into .exportcheck/"
  mkdir -p "$ort_dir"
  (cd "$ort_dir" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error --prefix "$ort_dir" \
      "onnxruntime-node@$ort_version" "@litertjs/core@$litert_version" >/dev/null)
fi
