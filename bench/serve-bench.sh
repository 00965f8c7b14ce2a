#!/usr/bin/env bash
# Serving benchmark (issue 13): neuralcanvas-cli serve against the same TorchScript export behind
# Flask under gunicorn, one run, side by side, on a 2-core machine: the load generator (hey) is
# pinned to core 0, the server under test to core 1, one at a time. Prints requests/s and
# latency percentiles at concurrency 1, 8 and 64, the model's own forward time, the serving
# overhead at concurrency 1, and served images/s against the raw batched forward.
#   bash bench/serve-bench.sh [SECONDS per point, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
cli=build/app/neuralcanvas-cli
py=/usr/bin/python3
[ -x "$cli" ] || { echo "build first (bash scripts/test.sh or cmake --build build)"; exit 1; }
command -v hey >/dev/null || { echo "hey is missing: bash scripts/install-deps.sh"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

# keras-cnn on Fashion-MNIST, trained briefly (the weights do not change the timing).
$cli new --template keras-cnn -o "$tmp/k.ncproj" >/dev/null
$cli train "$tmp/k.ncproj" --epochs 1 --limit-train 4000 --out "$tmp/run" >/dev/null
model="$tmp/run/best.ncmodel"
$cli export "$model" --format torchscript -o "$tmp/model.pt" >/dev/null
# One 1×28×28 image as a KServe v2 request (a test image's pixels / 255).
$py - "$tmp" <<'PY'
import gzip, json, sys
d = sys.argv[1]
raw = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()[16:16 + 784]
json.dump({"inputs": [{"name": "input", "shape": [1, 1, 28, 28], "datatype": "FP32",
                       "data": [b / 255.0 for b in raw]}]}, open(d + "/body.json", "w"))
PY

# The model's own forward time (TorchScript, one thread) at batch 1, and the best throughput of
# the raw batched forward over batch sizes 1-32 (on this CPU bigger batches are not always faster).
read -r fwd1 best_ips best_b < <($py - "$tmp/model.pt" <<'PY'
import sys, time, torch
torch.set_num_threads(1)
m = torch.jit.load(sys.argv[1]).eval()
per = {}
for b in (1, 2, 4, 8, 16, 32):
    x = torch.rand(b, 1, 28, 28)
    with torch.no_grad():
        for _ in range(10): m(x)
        n = max(30, 2000 // b)
        t = time.perf_counter()
        for _ in range(n): m(x)
        per[b] = (time.perf_counter() - t) / n
best = max(per, key=lambda b: b / per[b])
print(per[1] * 1e6, best / per[best], best)
PY
)

wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
load() { # URL CONCURRENCY -> "rps p50_ms p99_ms errors"
    taskset -c 0 hey -z "${secs}s" -c "$2" -m POST -T application/json -D "$tmp/body.json" "$1" > "$tmp/hey.txt"
    local rps p50 p99 ok total
    rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/hey.txt")
    p50=$(awk '/ 50% in/ {print $3*1000}' "$tmp/hey.txt")
    p99=$(awk '/ 99% in/ {print $3*1000}' "$tmp/hey.txt")
    ok=$(awk '/\[200\]/ {print $2}' "$tmp/hey.txt"); ok=${ok:-0}
    total=$(awk '/Status code distribution/ {f=1; next} f && /\[/ {s+=$2} END {print s+0}' "$tmp/hey.txt")
    echo "$rps $p50 $p99 $((total - ok))"
}

declare -A result
# NeuralCanvas: one torch thread on core 1, batching up to 32 images within 500 µs.
taskset -c 1 $cli serve "m=$model" --port 9100 --threads 1 --io-threads 1 > "$tmp/nc.log" 2>&1 &
nc_pid=$!
wait_up http://127.0.0.1:9100/v2/health/ready
for c in 1 8 64; do result[nc,$c]=$(load http://127.0.0.1:9100/v2/models/m/infer $c); done
kill -TERM $nc_pid; wait $nc_pid 2>/dev/null || true

# The peer: gunicorn with as many sync workers as fit one core's worth of work (2), one torch thread each.
workers=2
(cd bench && NC_TORCHSCRIPT="$tmp/model.pt" NC_PEER_THREADS=1 taskset -c 1 gunicorn -w $workers -b 127.0.0.1:9200 \
    --log-level warning serve_peer_flask:app) > "$tmp/peer.log" 2>&1 &
peer_pid=$!
wait_up http://127.0.0.1:9200/ || true
sleep 1
for c in 1 8 64; do result[peer,$c]=$(load http://127.0.0.1:9200/v2/models/m/infer $c); done
kill -TERM $peer_pid; wait $peer_pid 2>/dev/null || true

echo
echo "keras-cnn (Fashion-MNIST 1×28×28), single-image KServe v2 JSON requests, ${secs}s per point"
printf "model forward (TorchScript, 1 thread): batch 1 %.0f µs; best raw batched throughput %.0f images/s (batch %s)\n" \
    "$fwd1" "$best_ips" "$best_b"
printf "%-26s %6s %10s %9s %9s %7s\n" server conc requests/s p50_ms p99_ms errors
for who in nc peer; do
    name=$([ $who = nc ] && echo "neuralcanvas-cli serve" || echo "Flask+gunicorn ($workers w)")
    for c in 1 8 64; do
        read -r rps p50 p99 err <<< "${result[$who,$c]}"
        printf "%-26s %6s %10.0f %9.2f %9.2f %7s\n" "$name" "$c" "$rps" "$p50" "$p99" "$err"
    done
done
read -r nc1 ncp50 _ _ <<< "${result[nc,1]}"
best_nc=0; best_peer=0
for c in 1 8 64; do
    read -r r _ _ _ <<< "${result[nc,$c]}"; best_nc=$(echo "if ($r > $best_nc) $r else $best_nc" | bc -l)
    read -r r _ _ _ <<< "${result[peer,$c]}"; best_peer=$(echo "if ($r > $best_peer) $r else $best_peer" | bc -l)
done
printf "peak requests/s: NeuralCanvas %.0f, peer %.0f: %.2fx\n" "$best_nc" "$best_peer" "$(echo "$best_nc / $best_peer" | bc -l)"
printf "serving overhead at concurrency 1 (p50 latency - forward): %.0f µs (p50 %.0f µs, forward %.0f µs; hey's own client time included)\n" \
    "$(echo "$ncp50 * 1000 - $fwd1" | bc -l)" "$(echo "$ncp50 * 1000" | bc -l)" "$fwd1"
read -r r64 _ _ _ <<< "${result[nc,64]}"
printf "served images/s at concurrency 64: %.0f = %.0f %% of the best raw batched forward\n" \
    "$r64" "$(echo "100 * $r64 / $best_ips" | bc -l)"
