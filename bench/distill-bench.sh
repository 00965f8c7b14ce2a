#!/usr/bin/env bash
# Knowledge distillation on Fashion-MNIST (issue 15): a keras-cnn teacher, then a student of half
# its width (16/32/32 filters, 32 dense units) trained with and without the teacher, same epochs
# and seed. Prints each model's test accuracy and parameters.
#   bash bench/distill-bench.sh [EPOCHS, default 5]   (T=4 ALPHA=0.9 by default, as train --teacher;
#   TEACHER_SEED=1 STUDENT_SEED=2; STUDENT_SEEDS="2 3 4" repeats the pair for each seed;
#   TEACHER_MODEL=run/best.ncmodel uses a model trained already, e.g. a long resnet-mini run;
#   TRAIN_ARGS="--hflip --rotation 15 --threads 1" adds options to both student runs alike)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}
temperature=${T:-4}
teacher_seed=${TEACHER_SEED:-1}
student_seed=${STUDENT_SEED:-2}
alpha=${ALPHA:-0.9}
extra=${TRAIN_ARGS:-}
cli=build/app/neuralcanvas-cli
py=/usr/bin/python3
[ -x "$cli" ] || { echo "build first (bash scripts/test.sh or cmake --build build)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$cli new --template keras-cnn -o "$tmp/teacher.ncproj" >/dev/null
$cli new --template keras-cnn -o "$tmp/student.ncproj" >/dev/null
$py - "$tmp/student.ncproj" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for n in d["graph"]["nodes"]:
    params = n.setdefault("params", {})
    if n["type"] == "Conv2d":
        params["out_channels"] //= 2
    if n["type"] == "Linear" and params.get("out_features") == 64:
        params["out_features"] = 32
json.dump(d, open(p, "w"), indent=1)
PY
acc() { awk '/test accuracy of/ {print $(NF-3)}'; }
params() { $cli validate "$1" --json | $py -c 'import json,sys; print(json.load(sys.stdin)["total_parameters"])' 2>/dev/null || echo "?"; }
t0=$(date +%s)
if [ -n "${TEACHER_MODEL:-}" ]; then
    teacher=$($cli eval "$TEACHER_MODEL" --dataset fashion-mnist --json 2>/dev/null | tail -1 | $py -c 'import json,sys; print(json.load(sys.stdin)["accuracy"])')
    teacher_name="teacher: $TEACHER_MODEL"
    teacher_params=$($py - "$TEACHER_MODEL" <<'PY' 2>/dev/null || echo "?"
import json, math, sys
h = open(sys.argv[1], "rb").read()
header = json.loads(h[8:8 + int.from_bytes(h[:8], "little")])
print(sum(math.prod(t["shape"]) for k, t in header.items()
          if k != "__metadata__" and "running_" not in k and "num_batches" not in k))
PY
)
else
    teacher=$($cli train "$tmp/teacher.ncproj" --epochs "$epochs" --seed "$teacher_seed" --out "$tmp/t" 2>&1 | acc)
    TEACHER_MODEL=$tmp/t/best.ncmodel
    teacher_name="teacher: keras-cnn"
    teacher_params=$(params "$tmp/teacher.ncproj")
fi
t1=$(date +%s)
echo "Fashion-MNIST, $epochs epochs each${extra:+, students with $extra}, test accuracy of the best-validation model (10,000 images)"
printf "%-52s %9s %8s %6s\n" model params accuracy secs
printf "%-52s %9s %8s %6s\n" "$teacher_name" "$teacher_params" "$teacher" $((t1 - t0))
for seed in ${STUDENT_SEEDS:-$student_seed}; do
    t1=$(date +%s)
    alone=$($cli train "$tmp/student.ncproj" --epochs "$epochs" --seed "$seed" --out "$tmp/alone$seed" $extra 2>&1 | acc)
    t2=$(date +%s)
    taught=$($cli train "$tmp/student.ncproj" --epochs "$epochs" --seed "$seed" --out "$tmp/taught$seed" $extra --teacher "$TEACHER_MODEL" \
        --distill-temperature "$temperature" --distill-alpha "$alpha" 2>&1 | acc)
    t3=$(date +%s)
    printf "%-52s %9s %8s %6s\n" "student (half width, seed $seed), labels only" "$(params "$tmp/student.ncproj")" "$alone" $((t2 - t1))
    printf "%-52s %9s %8s %6s\n" "student (half width, seed $seed), taught (T $temperature, a $alpha)" "$(params "$tmp/student.ncproj")" "$taught" $((t3 - t2))
    echo "seed $seed: taught - alone: $(echo "$taught - $alone" | bc -l) (goal > 0)"
done
