#!/usr/bin/env bash
# Long-run memory: resident set size while `neuralcanvas-cli train` runs keras-cnn on
# Fashion-MNIST for EPOCHS (20) epochs, sampled every second, and over ROUNDS (100) project
# opens and closes in the window (build/app/gui_open_close). Prints the figures and a verdict
# against the bounds below (docs/RELIABILITY.md records a run).
#
#   bench/memory-longrun.sh                   # 20 epochs + 100 rounds
#   EPOCHS=3 ROUNDS=20 bench/memory-longrun.sh
#   LIMIT_TRAIN=12000 bench/memory-longrun.sh   # 20 epochs over the first 12,000 training images
#
# Bounds: training's per-epoch median resident size may not grow by more than TRAIN_BOUND_MIB (64)
# from epochs 2-4 to the last three; the window may not grow by more than GUI_BOUND_MIB (32) from
# round 10 to the last.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${BUILD:-$root/build}"
cli="$build/app/neuralcanvas-cli"
gui="$build/app/gui_open_close"
epochs="${EPOCHS:-20}"
rounds="${ROUNDS:-100}"
limit=()
[[ -n "${LIMIT_TRAIN:-}" ]] && limit=(--limit-train "$LIMIT_TRAIN")
train_bound="${TRAIN_BOUND_MIB:-64}"
gui_bound="${GUI_BOUND_MIB:-32}"
for b in "$cli" "$gui"; do
    [[ -x "$b" ]] || { echo "memory-longrun.sh: $b not found; build it (ninja -C $build neuralcanvas-cli gui_open_close)" >&2; exit 2; }
done
tmp="$(mktemp -d "${TMPDIR:-/tmp}/nc-mem.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

"$cli" new --template keras-cnn -o "$tmp/k.ncproj" >/dev/null
"$cli" train "$tmp/k.ncproj" --epochs "$epochs" "${limit[@]}" --out "$tmp/run" --json >"$tmp/train.jsonl" 2>"$tmp/train.err" &
pid=$!
start=$(date +%s)
: >"$tmp/rss.tsv"
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' /proc/$pid/status 2>/dev/null || true)
    epochs_done=$(grep -c '"event":"epoch"\|"event": "epoch"' "$tmp/train.jsonl" || true)
    [[ -n "$rss" ]] && printf '%s\t%s\t%s\n' "$(( $(date +%s) - start ))" "$epochs_done" "$rss" >>"$tmp/rss.tsv"
    sleep 1
done
wait "$pid" || { echo "training failed:"; cat "$tmp/train.err"; exit 1; }

python3 - "$tmp/rss.tsv" "$epochs" "$train_bound" <<'PY'
import statistics, sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
epochs, bound = int(sys.argv[2]), float(sys.argv[3])
mib = lambda kb: kb / 1024
# Within an epoch the resident size swings (validation, checkpoint writes); a leak shows as a
# rising level from epoch to epoch. So compare per-epoch medians: the last three epochs against
# epochs 2-4 (epoch 1 includes start-up and the allocator warming up).
per = {}
for _, e, kb in rows:
    per.setdefault(e, []).append(kb)
med = {e: statistics.median(v) for e, v in per.items()}
done = sorted(e for e in med if 0 < e < epochs) or sorted(med)
early = [med[e] for e in done if 2 <= e <= 4] or [med[done[0]]]
late = [med[e] for e in done[-3:]]
growth = mib(statistics.median(late) - statistics.median(early))
peak = max(r[2] for r in rows)
print(f"training: {epochs} epochs in {rows[-1][0]} s; peak resident {mib(peak):.1f} MiB; median resident during "
      f"epochs 2-4 {mib(statistics.median(early)):.1f} MiB, during the last three {mib(statistics.median(late)):.1f} MiB; "
      f"growth {growth:.1f} MiB (bound {bound:.0f} MiB: {'met' if growth <= bound else 'NOT met'})")
for e in sorted(per):
    what = f"during epoch {e + 1:2d}" if e < epochs else "after the last epoch (test evaluation)"
    print(f"  {what}: resident median {mib(med[e]):.1f} MiB, range {mib(min(per[e])):.1f}-{mib(max(per[e])):.1f} MiB")
PY

# Twice: as users run it, then with Qt's pixmap cache off (--pixmap-cache 0). The style keeps
# every window's scaled icons in that cache, up to its 10 MiB limit, so the first run climbs
# slowly until the cache is full; the second shows the window's own level.
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$gui" "$tmp/k.ncproj" --rounds "$rounds" 2>/dev/null | tee "$tmp/gui.out"
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" "$gui" "$tmp/k.ncproj" --rounds "$rounds" --pixmap-cache 0 2>/dev/null \
  | tail -n 1 >"$tmp/gui-nocache.out"
python3 - "$tmp/gui.out" "$tmp/gui-nocache.out" "$gui_bound" <<'PY'
import json, sys
def summary(path):
    return [json.loads(l) for l in open(path) if l.startswith("{")][-1]
bound = float(sys.argv[3])
for path, what in ((sys.argv[1], "window"), (sys.argv[2], "window, pixmap cache off")):
    j = summary(path)
    g = j["growth_after_round10_mib"]
    print(f"{what}: {j['rounds']} opens and closes; resident {j['rss_round1_mib']:.1f} MiB after the first, "
          f"{j['rss_round10_mib']:.1f} after the 10th, {j['rss_last_mib']:.1f} after the last; growth {g:.1f} MiB "
          f"(bound {bound:.0f} MiB: {'met' if g <= bound else 'NOT met'})")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
