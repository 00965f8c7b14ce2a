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

# The batch-friendly body: 8 images in one request with the binary tensor extension.
$py - "$tmp" <<'PY'
import gzip, json, struct, sys
d = sys.argv[1]
raw = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()[16:16 + 8 * 784]
header = json.dumps({"inputs": [{"name": "input", "shape": [8, 1, 28, 28], "datatype": "UINT8",
                                 "parameters": {"binary_data_size": len(raw)}}],
                     "outputs": [{"name": "probabilities", "parameters": {"binary_data": True}}]}).encode()
open(d + "/body8.bin", "wb").write(header + raw)
open(d + "/body8.len", "w").write(str(len(header)))
PY

# The model's own forward time (TorchScript, one thread) at batch 1, and the best throughput of
# the raw batched forward over batch sizes 1-64, each the best of 5 rounds. The raw forward runs
# with the allocator settings the server uses (buffers kept between batches; with glibc's defaults
# every batch above ~2 images page-faults its activations in anew and costs several times more).
read -r fwd1 best_ips best_b < <(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728 \
    taskset -c 1 $py - "$tmp/model.pt" <<'PY'
import sys, time, torch
torch.set_num_threads(1)
m = torch.jit.load(sys.argv[1]).eval()
per = {}
with torch.no_grad():
    for _ in range(5):
        for b in (1, 2, 4, 8, 16, 32, 64):
            x = torch.rand(b, 1, 28, 28)
            for _ in range(3): m(x)
            n = max(20, 1000 // b)
            t = time.perf_counter()
            for _ in range(n): m(x)
            per[b] = min(per.get(b, 1e9), (time.perf_counter() - t) / n)
best = max(per, key=lambda b: b / per[b])
print(per[1] * 1e6, best / per[best], best)
PY
)

wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
load() { # URL CONCURRENCY [hey options...] -> "rps p50_ms p99_ms errors"
    local url=$1 c=$2; shift 2
    taskset -c 0 hey -z "${secs}s" -c "$c" -m POST -T application/json -D "$tmp/body.json" "$@" "$url" > "$tmp/hey.txt"
    local rps p50 p99 ok total
    rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/hey.txt")
    p50=$(awk '/ 50% in/ {print $3*1000}' "$tmp/hey.txt")
    p99=$(awk '/ 99% in/ {print $3*1000}' "$tmp/hey.txt")
    ok=$(awk '/Status code distribution/ {f=1; next} f && /^ *\[200\]/ {print $2; exit}' "$tmp/hey.txt"); ok=${ok:-0}
    total=$(awk '/Status code distribution/ {f=1; next} f && /\[/ {s+=$2} END {print s+0}' "$tmp/hey.txt")
    echo "$rps $p50 $p99 $((total - ok))"
}
serve_nc() { # PORT [env...]: the server on core 1, one torch thread, one I/O thread
    local port=$1; shift
    env "$@" taskset -c 1 $cli serve "m=$model" --port "$port" --threads 1 --io-threads 1 > "$tmp/nc-$port.log" 2>&1 &
    nc_pid=$!
    wait_up "http://127.0.0.1:$port/v2/health/ready"
}
lat=build/app/serve_latency

declare -A result
# Our own forward of the served model at batch 1 (Model::logitsFromUnit, as the server runs it).
ours1=$(taskset -c 1 build/app/forward_batch "$model" 2>/dev/null | head -1 |
    $py -c 'import json,sys; print(json.load(sys.stdin)["cpu_us_per_image"])')
# NeuralCanvas: batching up to 32 images within 500 µs. Concurrency 1 with µs resolution first on
# the fresh server, then again after the loads.
serve_nc 9100
fresh_lat=$(taskset -c 0 $lat 127.0.0.1 9100 /v2/models/m/infer "$tmp/body.json" 5000)
# The forward inside the server on those requests (/metrics: the compute histogram's mean).
compute_us=$(curl -s http://127.0.0.1:9100/metrics | awk '/^nc_compute_duration_seconds_sum/ {s=$2} /^nc_compute_duration_seconds_count/ {n=$2} END {printf "%.0f", 1e6 * s / n}')
for c in 1 8 64; do result[nc,$c]=$(load http://127.0.0.1:9100/v2/models/m/infer $c); done
# Concurrency 1 with µs resolution: the infer request, and a health probe (the round trip's floor).
infer_lat=$(taskset -c 0 $lat 127.0.0.1 9100 /v2/models/m/infer "$tmp/body.json" 5000); after_lat=$infer_lat
health_lat=$(taskset -c 0 $lat 127.0.0.1 9100 /v2/health/live - 5000)
# Batch-friendly: 8 images a request (binary extension, UINT8), 16 clients.
taskset -c 0 hey -z "${secs}s" -c 16 -m POST -T application/octet-stream -D "$tmp/body8.bin" \
    -H "Inference-Header-Content-Length: $(cat "$tmp/body8.len")" http://127.0.0.1:9100/v2/models/m/infer > "$tmp/hey8.txt"
rps8=$(awk '/Requests\/sec/ {print $2}' "$tmp/hey8.txt")
err8=$(awk '/Status code distribution/ {f=1; next} f && /\[/ && !/\[200\]/ {s+=$2} END {print s+0}' "$tmp/hey8.txt")
kill -TERM $nc_pid; wait $nc_pid 2>/dev/null || true
# The same server with glibc's allocator defaults, at concurrency 64 (what the buffer reuse is worth).
serve_nc 9101 NC_DEFAULT_MALLOC=1
result[ncdefault,64]=$(load http://127.0.0.1:9101/v2/models/m/infer 64)
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

best_nc=0; best_peer=0
for c in 1 8 64; do
    read -r r _ _ _ <<< "${result[nc,$c]}"; best_nc=$(echo "if ($r > $best_nc) $r else $best_nc" | bc -l)
    read -r r _ _ _ <<< "${result[peer,$c]}"; best_peer=$(echo "if ($r > $best_peer) $r else $best_peer" | bc -l)
done
# At half of the peak: 8 clients, each asking for peak/16 requests a second.
serve_nc 9102
half_q=$(echo "($best_nc / 2 / 8 + 0.5) / 1" | bc)
result[nchalf,8]=$(load http://127.0.0.1:9102/v2/models/m/infer 8 -q "$half_q")
kill -TERM $nc_pid; wait $nc_pid 2>/dev/null || true

echo
echo "keras-cnn (Fashion-MNIST 1×28×28), single-image KServe v2 JSON requests, ${secs}s per point"
printf "model forward (TorchScript, 1 thread): batch 1 %.0f µs; best raw batched throughput %.0f images/s (batch %s)\n" \
    "$fwd1" "$best_ips" "$best_b"
printf "%-34s %6s %10s %9s %9s %7s\n" server conc requests/s p50_ms p99_ms errors
for key in nc,1 nc,8 nc,64 ncdefault,64 nchalf,8 peer,1 peer,8 peer,64; do
    who=${key%,*}; c=${key#*,}
    case $who in
        nc) name="neuralcanvas-cli serve" ;;
        ncdefault) name="neuralcanvas-cli, glibc malloc defaults" ;;
        nchalf) name="neuralcanvas-cli at half the peak" ;;
        peer) name="Flask+gunicorn ($workers w)" ;;
    esac
    read -r rps p50 p99 err <<< "${result[$key]}"
    printf "%-34s %6s %10.0f %9.2f %9.2f %7s\n" "$name" "$c" "$rps" "$p50" "$p99" "$err"
done
printf "peak requests/s: NeuralCanvas %.0f, peer %.0f: %.2fx (goal >= 5x)\n" "$best_nc" "$best_peer" "$(echo "$best_nc / $best_peer" | bc -l)"
p50_us=$(echo "$infer_lat" | $py -c 'import json,sys; print(json.load(sys.stdin)["p50_us"])')
fresh_p50=$(echo "$fresh_lat" | $py -c 'import json,sys; print(json.load(sys.stdin)["p50_us"])')
printf "concurrency 1 (bench/serve_latency, µs): infer, fresh server %s\n" "$fresh_lat"
printf "                                          infer, after the loads %s\n" "$after_lat"
printf "                                          health %s\n" "$health_lat"
printf "our forward at batch 1 (forward_batch, CPU time): %s µs; TorchScript's: %.0f µs\n" "$ours1" "$fwd1"
printf "serving overhead at concurrency 1, fresh server: p50 - the server's own forward (mean %s µs) %.0f µs (goal <= 200)\n" \
    "$compute_us" "$(echo "$fresh_p50 - $compute_us" | bc -l)"
for which in fresh after; do
    v=$fresh_p50; [ $which = after ] && v=$p50_us
    printf "serving overhead at concurrency 1, %s server: p50 - TorchScript forward %.0f µs; p50 - our forward %.0f µs (goal <= 200)\n" \
        "$which" "$(echo "$v - $fwd1" | bc -l)" "$(echo "$v - $ours1" | bc -l)"
done
read -r _ _ half_p99 half_err <<< "${result[nchalf,8]}"
printf "at half the peak (%s requests/s asked): p99 %.2f ms, %s errors (goal p99 <= 10 ms)\n" \
    "$(echo "$half_q * 8" | bc)" "$half_p99" "$half_err"
printf "batch-friendly load (8 images a request, binary, 16 clients): %.0f images/s = %.0f %% of the best raw batched forward, %s errors (goal >= 70 %%)\n" \
    "$(echo "$rps8 * 8" | bc -l)" "$(echo "100 * $rps8 * 8 / $best_ips" | bc -l)" "$err8"
