#!/bin/bash
# Sweeps side by side (issue 17): our TPE + ASHA (`neuralcanvas-cli sweep`) against Optuna's
# TPESampler + SuccessiveHalvingPruner (bench/optuna_sweep.py, Debian's python3-optuna) driving
# the same trials through `neuralcanvas-cli train`, with the same space, epochs and trial budget,
# over several seeds; and a full grid of the same space as the reference best.
#
#   bench/sweep-bench.sh [BUILD_DIR]     env: TEMPLATE (mlp) DATASET (shapes:600) SEEDS (5)
#                                             TRIALS (20) EPOCHS (9) LIMIT_TRAIN (0) THREADS (2)
# The full version of the issue: TEMPLATE=keras-cnn DATASET=fashion-mnist LIMIT_TRAIN=6000, and
# TEMPLATE=keras-cnn DATASET=shapes:3000; both take hours on 2 cores.
# WORK=DIR continues an earlier run in DIR (seeds and the grid already done are kept, not rerun);
# PARTS="seeds grid" (the default) picks what to run, e.g. PARTS=grid in a second shell.
# The CLI is copied into the work folder first, so rebuilding the tree does not disturb a run.
set -euo pipefail
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
TEMPLATE=${TEMPLATE:-mlp} DATASET=${DATASET:-shapes:600} SEEDS=${SEEDS:-5} TRIALS=${TRIALS:-20}
EPOCHS=${EPOCHS:-9} LIMIT_TRAIN=${LIMIT_TRAIN:-0} THREADS=${THREADS:-2} PARTS=${PARTS:-seeds grid}
WORK=${WORK:-$(mktemp -d /tmp/sweep-bench.XXXX)}
mkdir -p "$WORK"
CLI=$WORK/neuralcanvas-cli-$(echo "$PARTS" | tr ' ' '-')
cp "$(realpath "$BUILD/app/neuralcanvas-cli")" "$CLI.tmp" && mv "$CLI.tmp" "$CLI"
SPACE=$WORK/space.json
case $TEMPLATE in
  keras-cnn) WIDTH=dense1.out_features; CONV='{"key": "conv1.out_channels", "type": "choice", "values": [16, 32, 64]},' ;;
  *) WIDTH=dense1.out_features; CONV='' ;;
esac
cat > "$SPACE" <<JSON
[
  {"key": "training.learning_rate", "type": "float", "low": 1e-4, "high": 3e-2, "log": true, "grid_points": 4},
  $CONV
  {"key": "$WIDTH", "type": "choice", "values": [32, 128, 256]},
  {"key": "training.batch_size", "type": "choice", "values": [32, 128]}
]
JSON
[ -f "$WORK/p.ncproj" ] || "$CLI" new --template "$TEMPLATE" --dataset "$DATASET" -o "$WORK/p.ncproj" > /dev/null
COMMON=(--space "$SPACE" --epochs "$EPOCHS" --threads "$THREADS" --limit-train "$LIMIT_TRAIN" --json)
echo "template $TEMPLATE, dataset $DATASET, $TRIALS trials of up to $EPOCHS epochs, $SEEDS seeds; work in $WORK"
printf '%-6s %-22s %-22s\n' seed "ours (best, epochs)" "optuna (best, epochs)"
for ((s = 0; s < SEEDS; s++)); do
  [[ " $PARTS " == *" seeds "* ]] || break
  if [ -s "$WORK/ours-$s.json" ] && [ -s "$WORK/optuna-$s.json" ]; then
    /usr/bin/python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print('%-6s %.4f %-15d %.4f %d (from an earlier run)' % (sys.argv[3], a['best_val_accuracy'], a['epochs_trained'], b['best_val_accuracy'], b['epochs_trained']))" "$WORK/ours-$s.json" "$WORK/optuna-$s.json" "$s"
    continue
  fi
  ours=$("$CLI" sweep "$WORK/p.ncproj" "${COMMON[@]}" --strategy tpe --prune asha --trials "$TRIALS" --seed "$s" | tail -1)
  peer=$("$HERE/optuna_sweep.py" --cli "$CLI" --project "$WORK/p.ncproj" --space "$SPACE" --trials "$TRIALS" \
           --epochs "$EPOCHS" --seed "$s" --threads "$THREADS" --limit-train "$LIMIT_TRAIN")
  echo "$ours" > "$WORK/ours-$s.json"; echo "$peer" > "$WORK/optuna-$s.json"
  /usr/bin/python3 -c "import json,sys; a=json.loads(sys.argv[1]); b=json.loads(sys.argv[2]); print('%-6s %.4f %-15d %.4f %d' % (sys.argv[3], a['best_val_accuracy'], a['epochs_trained'], b['best_val_accuracy'], b['epochs_trained']))" "$ours" "$peer" "$s"
done
if [[ " $PARTS " == *" grid "* ]] && [ ! -s "$WORK/grid.json" ]; then
  # Its own copy of the project, so that the grid can run beside the seeds (PARTS=grid).
  [ -f "$WORK/grid.ncproj" ] || "$CLI" new --template "$TEMPLATE" --dataset "$DATASET" -o "$WORK/grid.ncproj" > /dev/null
  grid=$("$CLI" sweep "$WORK/grid.ncproj" "${COMMON[@]}" --strategy grid --prune none --trials 0 | tail -1)
  echo "$grid" > "$WORK/grid.json"
fi
for ((s = 0; s < SEEDS; s++)); do # the summary needs every part
  [ -s "$WORK/ours-$s.json" ] && [ -s "$WORK/optuna-$s.json" ] || { echo "seed $s not done yet: no summary"; exit 0; }
done
[ -s "$WORK/grid.json" ] || { echo "the grid is not done yet: no summary"; exit 0; }
/usr/bin/python3 - "$WORK" "$SEEDS" <<'PY'
import json, statistics, sys
work, seeds = sys.argv[1], int(sys.argv[2])
ours = [json.load(open(f"{work}/ours-{s}.json")) for s in range(seeds)]
peer = [json.load(open(f"{work}/optuna-{s}.json")) for s in range(seeds)]
grid = json.load(open(f"{work}/grid.json"))
o = [r["best_val_accuracy"] for r in ours]; p = [r["best_val_accuracy"] for r in peer]
print(f"ours:   median best {statistics.median(o):.4f}, min {min(o):.4f}, mean epochs {statistics.mean(r['epochs_trained'] for r in ours):.1f}")
print(f"optuna: median best {statistics.median(p):.4f}, min {min(p):.4f}, mean epochs {statistics.mean(r['epochs_trained'] for r in peer):.1f}")
print(f"grid:   best {grid['best_val_accuracy']:.4f} in {grid['epochs_trained']} epochs ({len(grid['trials'])} trials)")
print(f"ours >= optuna's median in {sum(v >= statistics.median(p) for v in o)}/{seeds} seeds; "
      f"within 0.5 points of the grid's best in {sum(v >= grid['best_val_accuracy'] - 0.005 for v in o)}/{seeds}")
most = max(r["epochs_trained"] for r in ours)
print(f"ours used at most {most} epochs in a seed = 1/{grid['epochs_trained'] / most:.1f} of the grid's {grid['epochs_trained']} "
      f"(goal: at most 1/8)")
PY
