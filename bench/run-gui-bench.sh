#!/usr/bin/env bash
# Training from the window vs. the command line, in one run: gui_train_responsiveness (the
# MainWindow trains from its Train tab while a 10 ms probe timer measures the GUI thread's
# event-loop delay) and `neuralcanvas-cli bench` on the same template, dataset, batch,
# optimizer and thread count. Prints the delay percentiles, both throughputs and their ratio
# (window / CLI; goal >= 0.95, and p99 delay < 50 ms).
#
#   bench/run-gui-bench.sh
#   STEPS=300 THREADS=2 REPS=3 bench/run-gui-bench.sh
#
# Environment: BUILD (default build/), TEMPLATE (keras-cnn), DATASET (fashion-mnist), BATCH (128),
# STEPS (200), WARMUP (10), THREADS (all cores), REPS (1; window and CLI alternate, medians are
# reported). QT_QPA_PLATFORM defaults to offscreen.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${BUILD:-$root/build}"
gui="$build/app/gui_train_responsiveness"
cli="$build/app/neuralcanvas-cli"
for b in "$gui" "$cli"; do
    if [[ ! -x "$b" ]]; then
        echo "run-gui-bench.sh: $b not found; build it first (ninja -C $build neuralcanvas-cli gui_train_responsiveness)" >&2
        exit 2
    fi
done

template="${TEMPLATE:-keras-cnn}"
dataset="${DATASET:-fashion-mnist}"
batch="${BATCH:-128}"
steps="${STEPS:-200}"
warmup="${WARMUP:-10}"
threads="${THREADS:-$(nproc)}"
reps="${REPS:-1}"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/nc-gui-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

"$cli" new --template "$template" -o "$tmp/p.ncproj" >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= reps; r++)); do
    echo "+ $gui --template $template --dataset $dataset --batch $batch --steps $steps --warmup $warmup --threads $threads"
    "$gui" --template "$template" --dataset "$dataset" --batch "$batch" --steps "$steps" --warmup "$warmup" \
        --threads "$threads" 2>/dev/null | tee "$tmp/gui.out"
    grep '^{' "$tmp/gui.out" | tail -1 >>"$tmp/gui.json"
    # The CLI bench: same network and settings as the window run (Adam, lr 1e-3, no weight
    # decay, constant rate; bench itself turns augmentation and validation off).
    echo "+ neuralcanvas-cli bench p.ncproj --dataset $dataset --batch $batch --steps $steps --warmup $warmup --threads $threads --optimizer adam --lr 0.001 --weight-decay 0 --schedule none --json"
    "$cli" bench "$tmp/p.ncproj" --dataset "$dataset" --batch "$batch" --steps "$steps" --warmup "$warmup" \
        --threads "$threads" --optimizer adam --lr 0.001 --weight-decay 0 --schedule none --json | tee "$tmp/cli.out"
    grep '^{' "$tmp/cli.out" | tail -1 >>"$tmp/cli.json"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$tmp/gui.json" "$tmp/cli.json" <<'EOF'
import json, statistics, sys
gs = [json.loads(l) for l in open(sys.argv[1])]
cs = [json.loads(l) for l in open(sys.argv[2])]
for i, (g, c) in enumerate(zip(gs, cs), 1):
    w, b = g["images_per_second"], c["images_per_second"]
    print(f"rep {i}: delay p50 {g['p50_ms']:.2f} / p99 {g['p99_ms']:.2f} / max {g['max_ms']:.2f} ms; "
          f"window {w:.0f} img/s, CLI {b:.0f} img/s, ratio {w / b:.3f}; "
          f"GUI thread CPU {100 * g.get('gui_cpu_share', -1):.1f} % of a core")
p99 = max(g["p99_ms"] for g in gs)
w = statistics.median(g["images_per_second"] for g in gs)
b = statistics.median(c["images_per_second"] for c in cs)
print(f"event-loop delay: p50 {statistics.median(g['p50_ms'] for g in gs):.2f} ms, worst p99 {p99:.2f} ms, "
      f"max {max(g['max_ms'] for g in gs):.2f} ms (goal p99 < 50 ms: {'met' if p99 < 50 else 'NOT met'})")
r = statistics.median(g["images_per_second"] / c["images_per_second"] for g, c in zip(gs, cs))
print(f"median of the per-rep ratios {r:.3f}")
print(f"median window {w:.0f} images/s, median CLI bench {b:.0f} images/s, ratio {w / b:.3f} "
      f"(goal >= 0.95: {'met' if w / b >= 0.95 else 'NOT met'})")
EOF
