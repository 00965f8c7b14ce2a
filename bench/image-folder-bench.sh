#!/usr/bin/env bash
# Your own images, measured (issue "Train on your own images"; figures in docs/PERFORMANCE.md):
#  1. import: Fashion-MNIST written as 70,000 PNGs in class folders, decoded and resized into the
#     cache by `neuralcanvas-cli import`, side by side (alternating) with torchvision's ImageFolder +
#     DataLoader with PIL over the same folder, same size, same worker count;
#  2. training: keras-cnn for EPOCHS epochs from the folder's cache and from the IDX files: test
#     accuracy and training images/s of each; a second run reuses the cache;
#  3. memory: the same folder imported at 3x128x128 (a cache 4x bigger than a memory cap) and trained
#     on inside a memory cgroup with that cap: peak RSS against the cap.
#
#   bench/image-folder-bench.sh              # everything (about 15 minutes on 2 cores)
#   PARTS="import" bench/image-folder-bench.sh
#
# Environment: NC_CLI (default build/app/neuralcanvas-cli), WORK (a scratch folder, kept; default a
# new temporary one), THREADS (decoding threads and peer workers; default all cores), REPS (import
# repetitions per side, default 3), EPOCHS (default 5), CAP_MB (memory cap, default 768).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
CLI="${NC_CLI:-$root/build/app/neuralcanvas-cli}"
PY=/usr/bin/python3
WORK="${WORK:-$(mktemp -d /tmp/nc-image-bench-XXXXXX)}"
THREADS="${THREADS:-$(nproc)}"
REPS="${REPS:-3}"
EPOCHS="${EPOCHS:-5}"
CAP_MB="${CAP_MB:-768}"
PARTS="${PARTS:-import speed train memory}"
mkdir -p "$WORK"
folder="$WORK/fashion-folder"

echo "# image-folder bench: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), threads $THREADS"
echo "# work folder: $WORK"
if [ ! -d "$folder/train" ]; then
  echo "writing Fashion-MNIST as PNG files into $folder ..."
  "$PY" "$here/write_fashion_folder.py" "$folder"
fi
count=$(find "$folder" -name '*.png' | wc -l)
echo "# $count PNG files"

json_field() { "$PY" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

if [[ " $PARTS " == *" import "* ]]; then
  nc_rates=(); peer_rates=()
  for rep in $(seq "$REPS"); do
    rm -rf "$WORK/cache-import"
    line=$("$CLI" import "folder:$folder" --cache-dir "$WORK/cache-import" --json 2>/dev/null | tail -1)
    s=$(json_field "$line" seconds); n=$(json_field "$line" imported)
    nc=$("$PY" -c "print($n / $s)")
    peer=$("$PY" "$here/imagefolder_peer.py" "$folder" 28 28 1 "$THREADS" | tail -1)
    pr=$(json_field "$peer" images_per_second)
    echo "rep $rep: neuralcanvas import $n images in ${s}s = $(printf %.0f "$nc") images/s; torchvision ImageFolder+DataLoader($THREADS workers) $(printf %.0f "$pr") images/s"
    nc_rates+=("$nc"); peer_rates+=("$pr")
  done
  mn=$(median "${nc_rates[@]}"); mp=$(median "${peer_rates[@]}")
  printf 'IMPORT median: neuralcanvas %.0f images/s, torchvision %.0f images/s, ratio %.2fx\n' "$mn" "$mp" \
    "$("$PY" -c "print($mn / $mp)")"
fi

if [[ " $PARTS " == *" speed "* ]]; then
  # Training images/s of the same network from the IDX files and from the folder's cache, side by
  # side: `neuralcanvas-cli bench` (STEPS steps of batch 128), alternating, REPS times each.
  for name in idx folder; do
    spec=fashion-mnist; [ "$name" = folder ] && spec="folder:$folder"
    "$CLI" new --template keras-cnn --dataset "$spec" -o "$WORK/speed-$name.ncproj" >/dev/null
    "$CLI" import "folder:$folder" --project "$WORK/speed-$name.ncproj" --json >/dev/null 2>&1 || true
  done
  idx_rates=(); folder_rates=()
  for rep in $(seq "$REPS"); do
    for name in idx folder; do
      spec=fashion-mnist; [ "$name" = folder ] && spec="folder:$folder"
      line=$("$CLI" bench "$WORK/speed-$name.ncproj" --dataset "$spec" --batch 128 --steps "${STEPS:-60}" --json 2>/dev/null | tail -1)
      r=$(json_field "$line" images_per_second)
      echo "rep $rep: $name $(printf %.0f "$r") images/s"
      if [ "$name" = idx ]; then idx_rates+=("$r"); else folder_rates+=("$r"); fi
    done
  done
  mi=$(median "${idx_rates[@]}"); mf=$(median "${folder_rates[@]}")
  printf 'SPEED median: keras-cnn batch 128 from IDX %.0f images/s, from the folder cache %.0f images/s, ratio %.3f\n' \
    "$mi" "$mf" "$("$PY" -c "print($mf / $mi)")"
fi

train_run() { # NAME SPEC -> prints test accuracy and median epoch images/s
  local name=$1 spec=$2 proj="$WORK/$1.ncproj"
  "$CLI" new --template keras-cnn --dataset "$spec" -o "$proj" >/dev/null
  local out; out=$("$CLI" train "$proj" --epochs "$EPOCHS" --json 2>/dev/null)
  local summary; summary=$(grep '"event":"summary"' <<<"$out" | tail -1)
  local rates; rates=$(grep '"event":"epoch"' <<<"$out" | "$PY" -c "import json,sys; r=sorted(json.loads(l)['images_per_second'] for l in sys.stdin); print(r[len(r)//2])")
  local imp; imp=$(grep '"event":"import"' <<<"$out" | tail -1 || true)
  local cached="-"; [ -n "$imp" ] && cached=$(json_field "$imp" from_cache)
  printf 'TRAIN %-7s keras-cnn %s epochs: test accuracy %.4f, training %.0f images/s (median epoch), cache reused: %s\n' \
    "$name" "$EPOCHS" "$(json_field "$summary" test_accuracy)" "$rates" "$cached"
}

if [[ " $PARTS " == *" train "* ]]; then
  rm -f "$WORK"/folder-*.nccache
  train_run idx fashion-mnist
  train_run folder "folder:$folder"
  # The second run of the same project starts from the cache.
  t0=$(date +%s.%N)
  "$CLI" train "$WORK/folder.ncproj" --epochs 1 --limit-train 512 --json 2>/dev/null | grep '"event":"import"' |
    "$PY" -c "import json,sys; j=json.loads(sys.stdin.read()); print('second run: cache reused:', j['from_cache'])"
  echo "second run (1 short epoch) took $("$PY" -c "import time; print(round(time.time() - $t0, 1))") s in all"
fi

if [[ " $PARTS " == *" memory "* ]]; then
  cg=""
  if [ -w /sys/fs/cgroup/memory ]; then
    cg=/sys/fs/cgroup/memory/nc-image-bench-$$; mkdir -p "$cg"
    echo $((CAP_MB * 1024 * 1024)) > "$cg/memory.limit_in_bytes"
  elif [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
    cg=/sys/fs/cgroup/nc-image-bench-$$; mkdir -p "$cg"
    echo $((CAP_MB * 1024 * 1024)) > "$cg/memory.max"
  fi
  if [ -z "$cg" ]; then
    echo "MEMORY: no writable memory cgroup here; skipped"
  else
    proj="$WORK/big.ncproj"
    "$CLI" new --template mlp --dataset "folder:$folder" --size 128x128 --channels rgb -o "$proj" >/dev/null
    "$CLI" import "folder:$folder" --project "$proj" --json 2>/dev/null | tail -1 >/dev/null
    cache=$(ls "$WORK"/big-*.nccache)
    bytes=$(stat -c %s "$cache")
    echo "# cache $cache: $((bytes / 1048576)) MiB, cap ${CAP_MB} MiB ($("$PY" -c "print(round($bytes / ($CAP_MB * 1048576), 1))")x)"
    # In the cgroup: one epoch over all 60,000 images, read from the cache per batch.
    rc=0
    out=$(bash -c "echo \$\$ > $cg/cgroup.procs; exec /usr/bin/time -f 'peakrss_kb=%M' '$CLI' train '$proj' --epochs 1 --batch 256 --json" 2>&1) || rc=$?
    peak=$(grep -o 'peakrss_kb=[0-9]*' <<<"$out" | cut -d= -f2)
    acc=$(grep '"event":"summary"' <<<"$out" | tail -1 | "$PY" -c "import json,sys; print(json.loads(sys.stdin.read())['test_accuracy'])" || echo "?")
    printf 'MEMORY: trained 1 epoch on a %d MiB cache under a %d MiB cap: exit %d, peak RSS %d MiB (%.0f%% of the cap), test accuracy %s\n' \
      "$((bytes / 1048576))" "$CAP_MB" "$rc" "$((peak / 1024))" "$("$PY" -c "print(100 * $peak / 1024 / $CAP_MB)")" "$acc"
    rmdir "$cg" 2>/dev/null || true
  fi
fi
