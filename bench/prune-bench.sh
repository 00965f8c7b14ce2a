#!/usr/bin/env bash
# Structured channel pruning on Fashion-MNIST (issue 15): keras-cnn (5 epochs, as in
# docs/ACCURACY.md) and resnet-mini (EPOCHS, default 5) are trained, then `compress
# --prune-channels 0.5 --finetune-epochs 3`; beside it, the unpruned model trained the same 3 epochs
# more (train --resume), so the pruned model is compared with the same training time as well as
# with where it started. Prints MFLOPs, parameters, test accuracy and the forward time at batch
# 64 (the app's, float, one thread on one core) of each.
# Then the unstructured kind: `compress --sparsity 0.8` (the smallest 80 % of each layer's weights
# zero through the same fine-tune), with the file's zlib-compressed size.
#   bash bench/prune-bench.sh [TEMPLATES...]      EPOCHS=5 FINETUNE=3 SHARE=0.5 SPARSITY=0.8 KEEP=DIR CORE=1
set -euo pipefail
cd "$(dirname "$0")/.."
cli=$PWD/build/app/neuralcanvas-cli
py=/usr/bin/python3
epochs=${EPOCHS:-5}
finetune=${FINETUNE:-3}
share=${SHARE:-0.5}
sparsity=${SPARSITY:-0.8}
core=${CORE:-1}
[ -x "$cli" ] || { echo "build first (bash scripts/test.sh or cmake --build build)"; exit 1; }
templates=("$@")
[ ${#templates[@]} -gt 0 ] || templates=(keras-cnn resnet-mini)
tmp=${KEEP:-$(mktemp -d)}
mkdir -p "$tmp"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
echo "prune-bench $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; remove $share of the channels, fine-tune $finetune epochs"
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
    s=$(date +%s)
    $cli compress "$d/run/best.ncmodel" --project "$d/p.ncproj" --prune-channels "$share" --finetune-epochs "$finetune" \
        --dataset fashion-mnist --seed 2 -o "$d/pruned.ncmodel" --json 2>/dev/null | grep '"event":"summary"' >"$d/prune.json"
    echo "$t: pruned and fine-tuned in $(($(date +%s) - s)) s"
    $cli compress "$d/run/best.ncmodel" --project "$d/p.ncproj" --sparsity "$sparsity" --finetune-epochs "$finetune" \
        --dataset fashion-mnist --seed 2 -o "$d/sparse.ncmodel" --json 2>/dev/null | grep '"event":"summary"' >"$d/sparse.json"
    if [ ! -f "$d/longer/best.ncmodel" ]; then
        cp -r "$d/run" "$d/longer"
        $cli train "$d/p.ncproj" --dataset fashion-mnist --epochs $((e + finetune)) --seed 1 --resume "$d/longer/last.ncckpt" \
            --out "$d/longer" >"$d/longer.log" 2>&1
    fi
    $cli eval "$d/longer/best.ncmodel" --dataset fashion-mnist --json 2>/dev/null | tail -1 >"$d/longer.json"
    for m in run/best longer/best pruned; do
        taskset -c "$core" build/app/forward_batch "$d/$m.ncmodel" --rounds 5 --threads 1 2>/dev/null | tail -1 >"$d/${m//\//_}.fwd"
    done
done
$py - "$tmp" "$finetune" "${templates[@]}" <<'PY'
import json, os, sys
tmp, finetune, templates = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print()
print(f"{'template':12} {'model':34} {'params':>8} {'MFLOPs':>7} {'test acc':>8} {'us/img b64':>10}")
for t in templates:
    d = os.path.join(tmp, t)
    p = json.load(open(os.path.join(d, "prune.json")))
    longer = json.load(open(os.path.join(d, "longer.json")))
    fwd = {m: json.load(open(os.path.join(d, m + ".fwd")))["cpu_us_per_image"] for m in ("run_best", "longer_best", "pruned")}
    rows = [("trained", p["parameters_before"], p["flops_before"], p["accuracy_before"], fwd["run_best"]),
            (f"trained {finetune} epochs more", p["parameters_before"], p["flops_before"], longer["accuracy"], fwd["longer_best"]),
            ("pruned, before fine-tuning", p["parameters_after"], p["flops_after"], p["accuracy_pruned"], fwd["pruned"]),
            (f"pruned, fine-tuned {finetune} epochs", p["parameters_after"], p["flops_after"], p["accuracy_after"], fwd["pruned"])]
    for name, params, flops, acc, us in rows:
        print(f"{t:12} {name:34} {params:8d} {flops / 1e6:7.2f} {acc:8.4f} {us:10.1f}")
    print(f"{t:12} MFLOPs {100 * (1 - p['flops_after'] / p['flops_before']):.1f} % fewer (goal >= 45 %), accuracy "
          f"{100 * (p['accuracy_after'] - p['accuracy_before']):+.2f} points against the trained model (goal >= -1), "
          f"{100 * (p['accuracy_after'] - longer['accuracy']):+.2f} against it trained as long; pruned: {', '.join(p['pruned'])}"
          + (f"; left whole: {', '.join(p['kept'])}" if p["kept"] else ""))
print()
print(f"{'template':12} {'sparsity':>8} {'test acc before':>15} {'zeroed':>7} {'fine-tuned':>10} {'file KB':>8} {'zlib KB before':>14} {'zlib KB after':>13} {'smaller':>8}")
for t in templates:
    sp = json.load(open(os.path.join(tmp, t, "sparse.json")))
    print(f"{t:12} {sp['sparsity']:8.3f} {sp['accuracy_before']:15.4f} {sp['accuracy_pruned']:7.4f} {sp['accuracy_after']:10.4f} "
          f"{sp['bytes_after'] / 1024:8.1f} {sp['compressed_bytes_before'] / 1024:14.1f} {sp['compressed_bytes_after'] / 1024:13.1f} "
          f"{sp['compressed_bytes_before'] / sp['compressed_bytes_after']:7.2f}x")
PY
