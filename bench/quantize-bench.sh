#!/usr/bin/env bash
# int8 post-training quantisation on Fashion-MNIST (issue 15), one run, side by side.
# Every template is trained (keras-cnn 5 epochs as in docs/ACCURACY.md, the others EPOCHS, default
# 2), then `compress --quantize int8` on 512 calibration images; the app's float and int8 models
# are evaluated on the 10,000 test images and their forward timed in the app at batch 1 and 64.
# The peer: the same trained model through its PyTorch-code export, quantised by PyTorch's own
# torch.ao.quantization (FX, the onednn default qconfig mapping) on the same 512 images, timed
# the same way. Both run on one core (taskset) with one thread.
#   bash bench/quantize-bench.sh [TEMPLATES...]     EPOCHS=2 CORE=1 KEEP=DIR
set -euo pipefail
cd "$(dirname "$0")/.."
cli=$PWD/build/app/neuralcanvas-cli
py=/usr/bin/python3
core=${CORE:-1}
epochs=${EPOCHS:-2}
[ -x "$cli" ] || { echo "build first (bash scripts/test.sh or cmake --build build)"; exit 1; }
templates=("$@")
[ ${#templates[@]} -gt 0 ] || templates=(keras-cnn lenet5 mlp vgg-mini resnet-mini lstm-rows)
tmp=${KEEP:-$(mktemp -d)}
mkdir -p "$tmp"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
echo "quantize-bench $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "timing: taskset -c $core, 1 thread; medians of at least 1 s of runs after warm-up"
rows=()
for t in "${templates[@]}"; do
    e=$epochs
    [ "$t" = keras-cnn ] && e=5
    d=$tmp/$t
    mkdir -p "$d"
    if [ ! -f "$d/run/best.ncmodel" ]; then
        $cli new --template "$t" -o "$d/p.ncproj" >/dev/null
        s=$(date +%s)
        $cli train "$d/p.ncproj" --dataset fashion-mnist --epochs "$e" --seed 1 --out "$d/run" >"$d/train.log" 2>&1
        echo "$t: trained $e epochs in $(($(date +%s) - s)) s"
    fi
    taskset -c "$core" "$cli" compress "$d/run/best.ncmodel" --quantize int8 --dataset fashion-mnist --threads 1 \
        -o "$d/int8.ncmodel" --json 2>/dev/null | grep '"event":"summary"' >"$d/app.json"
    $cli export "$d/run/best.ncmodel" --format python -o "$d/exported.py" >/dev/null
    taskset -c "$core" $py bench/quantize_peer.py "$d/exported.py" "$d/run/best.ncmodel" --threads 1 >"$d/peer.json" \
        2>"$d/peer.err" || echo "$t: the PyTorch peer failed: $(tail -1 "$d/peer.err")"
    rows+=("$t:$e")
done
$py - "$tmp" "${rows[@]}" <<'PY'
import json, os, sys
tmp, rows = sys.argv[1], sys.argv[2:]
print()
print("accuracy on the 10,000 test images, file size (NeuralCanvas .ncmodel)")
print(f"{'template':12} {'epochs':>6} {'float':>7} {'int8':>7} {'diff':>7} {'peer int8':>9} {'float KB':>9} {'int8 KB':>8} {'smaller':>8} layers int8/float/folded")
timing = []
for row in rows:
    t, e = row.split(":")
    app = json.load(open(os.path.join(tmp, t, "app.json")))
    try:
        peer = json.load(open(os.path.join(tmp, t, "peer.json")))
    except (OSError, ValueError):
        peer = None
    fa, ia = app["float_accuracy"], app["int8_accuracy"]
    print(f"{t:12} {e:>6} {fa:7.4f} {ia:7.4f} {100 * (ia - fa):+6.2f}p {peer['int8_accuracy'] if peer else float('nan'):9.4f} "
          f"{app['float_bytes'] / 1024:9.1f} {app['int8_bytes'] / 1024:8.1f} {app['float_bytes'] / app['int8_bytes']:7.2f}x "
          f"{len(app['int8_layers'])}/{len(app['float_layers'])}/{len(app['folded'])}")
    timing.append((t, app, peer))
print()
for t, app, peer in timing:
    if peer:
        print(f"peer for {t}: torch.ao.quantization {peer['scheme']}, {peer['engine']} engine")
print()
print("forward time, ms (median), 1 thread")
print(f"{'template':12} {'batch':>5} {'app float':>9} {'app int8':>9} {'speedup':>8} {'torch float':>11} {'torch int8':>10} {'speedup':>8} {'app int8 / torch int8':>21}")
for t, app, peer in timing:
    for i, a in enumerate(app["timing"]):
        p = peer["timing"][i] if peer else None
        if p:
            print(f"{t:12} {a['batch']:5} {a['float_ms']:9.3f} {a['int8_ms']:9.3f} {a['speedup']:7.2f}x {p['float_ms']:11.3f} "
                  f"{p['int8_ms']:10.3f} {p['speedup']:7.2f}x {a['int8_ms'] / p['int8_ms']:20.2f}x")
        else:
            print(f"{t:12} {a['batch']:5} {a['float_ms']:9.3f} {a['int8_ms']:9.3f} {a['speedup']:7.2f}x {'-':>11} {'-':>10} {'-':>8}")
PY
