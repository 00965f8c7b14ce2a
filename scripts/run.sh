#!/usr/bin/env bash
# Builds NeuralCanvas and launches it on its default: the keras-cnn template on Fashion-MNIST.
# (Until the desktop window lands, the default is the CLI training that project with live progress.)
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" >/dev/null
cmake --build build -j "$(nproc)" --target neuralcanvas-cli
project=${1:-build/default.ncproj}
[ -f "$project" ] || build/app/neuralcanvas-cli new --template keras-cnn --dataset fashion-mnist -o "$project"
build/app/neuralcanvas-cli validate "$project"
exec build/app/neuralcanvas-cli train "$project" --epochs "${NC_EPOCHS:-5}"
