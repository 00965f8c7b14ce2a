#!/usr/bin/env bash
# Builds NeuralCanvas and opens its window on the default project: the keras-cnn template on
# Fashion-MNIST (or the .ncproj given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" >/dev/null
cmake --build build -j "$(nproc)" --target neuralcanvas
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  # No screen (a server or CI): show that the window works by drawing it into a picture.
  echo "run: no display; rendering the window under Xvfb to build/neuralcanvas.png"
  exec xvfb-run -a -s "-screen 0 1600x1000x24" build/app/neuralcanvas "$@" --screenshot build/neuralcanvas.png
fi
exec build/app/neuralcanvas "$@"
