#!/usr/bin/env bash
# Compares `neuralcanvas-cli bench` with the plain-PyTorch peer (bench/peers.py) on the same
# network, batch, optimizer and in-memory data, with the same LibTorch build.
#
#   bench/run-bench.sh                                  # the default configurations
#   bench/run-bench.sh keras-cnn:128:fp32 vgg-mini:64:bf16
#   STEPS=30 REPS=3 bench/run-bench.sh
#
# Each configuration is MODEL:BATCH:PRECISION[:PEER_PRECISION] (MODEL = a template name;
# PRECISION = auto|fp32|bf16 for NeuralCanvas; the peer runs PEER_PRECISION, by default the same,
# and "auto" alone means NeuralCanvas' default settings against the peer's fp32). The defaults
# give, in one run, keras-cnn and resnet-mini at batch 128: default settings vs the typical fp32
# script, then fp32 vs fp32 and bf16 vs bf16.
# PEER_STYLE=typical (default: DataLoader + default Adam, see bench/peers.py) or matched.
# Configurations come from the arguments, else from $NC_BENCH_CONFIGS (space-separated), else
# the defaults below. For each one the CLI and the peer run alternately (NC, peer, NC, peer, ...)
# REPS times each; the table shows the median images/s of each side and their ratio
# (NeuralCanvas / PyTorch: above 1.0 means NeuralCanvas is faster).
#
# Environment:
#   NC_CLI    path of neuralcanvas-cli (default: build/app/, then build-noqt/app/ of this repo)
#   PYTHON    Python with torch (default: /usr/bin/python3, Debian's python3-torch)
#   DATASET   dataset spec (default fashion-mnist; `shapes` makes the peer use random 3x32x32 data)
#   STEPS, WARMUP, REPS, THREADS, OPTIMIZER, LR   (defaults 50, 5, 3, all cores, adam, 0.001)
#   WAIT_IDLE seconds to wait before each run for the CPUs to be idle (<15% busy over 1 s);
#             default 0 = don't wait.
# Each run also records how much CPU other processes used while it ran (machine busy time from
# /proc/stat minus the run's own user+sys time). On a small machine a concurrent compiler makes
# OpenMP threads wait on each other and a run 5-10x slower, so the medians use only the reps
# where others used <= 10% of the CPU; the table says how many reps were clean.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

cli="${NC_CLI:-}"
if [[ -z "$cli" ]]; then
    for c in "$root/build/app/neuralcanvas-cli" "$root/build-noqt/app/neuralcanvas-cli"; do
        if [[ -x "$c" ]]; then cli="$c"; break; fi
    done
fi
if [[ -z "$cli" || ! -x "$cli" ]]; then
    echo "run-bench.sh: neuralcanvas-cli not found; build it first or set NC_CLI" >&2
    exit 2
fi
py="${PYTHON:-/usr/bin/python3}"
if ! "$py" -c 'import torch' 2>/dev/null; then
    echo "run-bench.sh: $py cannot import torch (install python3-torch, or set PYTHON)" >&2
    exit 2
fi

dataset="${DATASET:-fashion-mnist}"
steps="${STEPS:-50}"
warmup="${WARMUP:-5}"
reps="${REPS:-3}"
threads="${THREADS:-$(nproc)}"
optimizer="${OPTIMIZER:-adam}"
lr="${LR:-0.001}"
wait_idle="${WAIT_IDLE:-0}"
peer_style="${PEER_STYLE:-typical}"

if [[ $# -gt 0 ]]; then
    configs=("$@")
elif [[ -n "${NC_BENCH_CONFIGS:-}" ]]; then
    read -r -a configs <<<"$NC_BENCH_CONFIGS"
else
    configs=(keras-cnn:128:auto keras-cnn:128:fp32 keras-cnn:128:bf16
             resnet-mini:128:auto resnet-mini:128:fp32 resnet-mini:128:bf16)
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/nc-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Machine description.
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
flags="$(grep -m1 '^flags' /proc/cpuinfo || true)"
bf16_native="no (bf16 is emulated in fp32 by oneDNN: expect bf16 to be slower than fp32)"
if grep -qw amx_bf16 <<<"$flags"; then
    bf16_native="yes (amx_bf16 and avx512_bf16)"
elif grep -qw avx512_bf16 <<<"$flags"; then
    bf16_native="yes (avx512_bf16; no AMX)"
fi
echo "CPU:        $cpu ($(nproc) cores available)"
echo "bf16:       native support: $bf16_native"
echo "LibTorch:   $("$py" -c 'import torch; print(torch.__version__)') (python peer); CLI: $cli"
echo "bf16 flags: $(grep -ow 'avx512_bf16\|amx_bf16\|amx_tile\|avx512f\|avx512_vnni' <<<"$flags" | sort -u | tr '\n' ' ')"
echo "OpenMP:     OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-unset} for both sides (NeuralCanvas sets its own policy only where it is unset)"
echo "Settings:   dataset $dataset, $steps timed steps after $warmup warm-up, $reps reps each, threads $threads, optimizer $optimizer lr $lr, peer style $peer_style"
echo

# Prints cpu_ms_per_step of the last JSON line on stdin.
cpums() { "$py" -c 'import json,sys; lines=[l for l in sys.stdin if l.strip().startswith("{")]; print(json.loads(lines[-1])["cpu_ms_per_step"])'; }
# Prints images_per_second of the last JSON line on stdin.
ips() { "$py" -c 'import json,sys; lines=[l for l in sys.stdin if l.strip().startswith("{")]; print(json.loads(lines[-1])["images_per_second"])'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Percent of CPU time busy (all cores) over the next second, from /proc/stat.
busy_pct() {
    local a b
    a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
    awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
        n = split(a, x, " "); split(b, y, " "); t = 0
        for (i = 2; i <= n; i++) t += y[i] - x[i]
        idle = (y[5] - x[5]) + (y[6] - x[6])
        printf "%.0f", (t > 0 ? 100 * (t - idle) / t : 0) }'
}
# Waits (up to WAIT_IDLE s) for an idle machine.
quiet() {
    local waited=0 busy
    ((wait_idle > 0)) || return 0
    busy="$(busy_pct)"
    while ((busy > 15 && waited < wait_idle)); do
        sleep 2; waited=$((waited + 3)); busy="$(busy_pct)"
    done
}

# Runs "$@" with stdout to $tmp/out and sets $others to the percent of all CPU time that
# other processes used while it ran (the machine's busy time minus this command's user+sys).
hz="$(getconf CLK_TCK)"
measured() {
    local a b t TIMEFORMAT='%U %S'
    a=($(head -1 /proc/stat))
    { time "$@" >"$tmp/out" 2>"$tmp/err"; } 2>"$tmp/time" || { cat "$tmp/err" >&2; return 1; }
    b=($(head -1 /proc/stat))
    t="$(cat "$tmp/time")"
    others="$(awk -v a="${a[*]}" -v b="${b[*]}" -v t="$t" -v hz="$hz" 'BEGIN {
        n = split(a, x, " "); split(b, y, " "); split(t, s, " "); tot = 0
        for (i = 2; i <= n; i++) tot += y[i] - x[i]
        busy = tot - (y[5] - x[5]) - (y[6] - x[6])
        o = tot > 0 ? 100 * (busy - (s[1] + s[2]) * hz) / tot : 0
        printf "%.0f", (o < 0 ? 0 : o) }')"
}
# Median of the clean values ("value:others" pairs with others <= 10%), else of all of them
# with a trailing "*".
clean_median() {
    local clean=() all=() p
    for p in "$@"; do
        all+=("${p%%:*}")
        ((${p##*:} <= 10)) && clean+=("${p%%:*}")
    done
    if ((${#clean[@]})); then echo "$(median "${clean[@]}") ${#clean[@]}"; else echo "$(median "${all[@]}") 0"; fi
}

rows=()
noisy=0
for config in "${configs[@]}"; do
    IFS=: read -r model batch precision peer_precision <<<"$config"
    batch="${batch:-128}"
    precision="${precision:-fp32}"
    [[ "$precision" == auto ]] && peer_precision="${peer_precision:-fp32}"
    peer_precision="${peer_precision:-$precision}"
    project="$tmp/$model.ncproj"
    if [[ ! -f "$project" ]]; then
        "$cli" new --template "$model" -o "$project" >/dev/null
        # Same work on both sides: no weight decay and a constant learning rate (the CLI's
        # --optimizer/--lr do not reset a template's weight_decay or schedule; bench already
        # turns augmentation and validation off).
        "$py" - "$project" "$optimizer" "$lr" <<'EOF'
import json, sys
path, opt, lr = sys.argv[1], sys.argv[2], float(sys.argv[3])
with open(path) as f:
    p = json.load(f)
t = p.setdefault("training", {})
t.update({"optimizer": opt, "learning_rate": lr, "weight_decay": 0.0, "schedule": "none",
          "label_smoothing": 0.0, "grad_clip_norm": 0.0})
with open(path, "w") as f:
    json.dump(p, f, indent=2)
EOF
    fi
    common=(--dataset "$dataset" --batch "$batch" --steps "$steps" --warmup "$warmup" --threads "$threads"
            --optimizer "$optimizer" --lr "$lr" --json)
    nc=() pt=() ncc=() ptc=()
    for ((r = 1; r <= reps; r++)); do
        quiet
        measured "$cli" bench "$project" "${common[@]}" --precision "$precision"
        v="$(ips <"$tmp/out")" o1="$others"
        used="$("$py" -c 'import json,sys; print(json.loads([l for l in sys.stdin if l.startswith("{")][-1])["precision"])' <"$tmp/out")"
        nc+=("$v:$o1")
        ncc+=("$(cpums <"$tmp/out")")
        quiet
        measured "$py" "$here/peers.py" --model "$model" "${common[@]}" --precision "$peer_precision" --style "$peer_style"
        w="$(ips <"$tmp/out")" o2="$others"
        pt+=("$w:$o2")
        ptc+=("$(cpums <"$tmp/out")")
        ((o1 > 10 || o2 > 10)) && noisy=1
        printf '  %-12s batch %-4s %-4s(%s) vs %-4s rep %d: NeuralCanvas %8.0f img/s (others used %3s%% of the CPU)   PyTorch %8.0f img/s (%3s%%)\n' \
            "$model" "$batch" "$precision" "$used" "$peer_precision" "$r" "$v" "$o1" "$w" "$o2" >&2
    done
    read -r a ca <<<"$(clean_median "${nc[@]}")"
    read -r b cb <<<"$(clean_median "${pt[@]}")"
    c1="$(median "${ncc[@]}")" c2="$(median "${ptc[@]}")"
    rows+=("$(awk -v m="$model" -v bs="$batch" -v p="$precision ($used) vs $peer_precision" -v a="$a" -v b="$b" -v ca="$ca" -v cb="$cb" -v r="$reps" -v c1="$c1" -v c2="$c2" \
        'BEGIN {printf "| %-12s | %5s | %-22s | %17.0f%s | %12.0f%s | %5.2f | %d/%d, %d/%d | %6.1f | %6.1f | %5.2f |", m, bs, p, a, (ca ? " " : "*"), b, (cb ? " " : "*"), a / b, ca, r, cb, r, c1, c2, c2 / c1}')")
done

echo
echo "| model        | batch | precision: NC (used) vs PT | NeuralCanvas img/s | PyTorch img/s | ratio | clean reps (NC, PT) | NC CPU ms/step | PT CPU ms/step | CPU ratio |"
echo "|--------------|-------|------------------------|--------------------|---------------|-------|---------------------|--------|--------|-------|"
printf '%s\n' "${rows[@]}"
echo
echo "ratio = NeuralCanvas / PyTorch median images/s (> 1.0: NeuralCanvas faster). One interleaved run, not a timed test."
echo "CPU ms/step: median CPU time (all threads) per timed step; CPU ratio = PT / NC. It is the figure that survives a busy"
echo "machine, when both sides run with OMP_WAIT_POLICY=PASSIVE (waiting threads sleep instead of spinning)."
echo "Medians are of the clean reps (other processes used <= 10% of the CPU during the run); * = no clean rep, median of all."
if ((noisy)); then
    echo "WARNING: other processes used the CPUs during some runs; those reps were left out of the medians (WAIT_IDLE=120 waits for quiet)." >&2
fi
