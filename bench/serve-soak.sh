#!/usr/bin/env bash
# Serving soak (issue 13): neuralcanvas-cli serve under a steady load for MINUTES (default 10):
# hey pinned to core 0 sends single-image KServe v2 requests at RATE requests/s (default 3,600,
# about half of the peak bench/serve-bench.sh measured), the server runs on core 1. Prints the
# errors, latency percentiles and the server's resident memory every minute, and its drift from
# the end of the first minute to the end.
#   bash bench/serve-soak.sh [MINUTES] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
rate=${2:-3600}
cli=build/app/neuralcanvas-cli
[ -x "$cli" ] || { echo "build first"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
$cli new --template keras-cnn -o "$tmp/k.ncproj" >/dev/null
$cli train "$tmp/k.ncproj" --epochs 1 --limit-train 4000 --out "$tmp/run" >/dev/null
/usr/bin/python3 - "$tmp" <<'PY'
import gzip, json, sys
raw = gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").read()[16:16 + 784]
json.dump({"inputs": [{"name": "input", "shape": [1, 1, 28, 28], "datatype": "FP32",
                       "data": [b / 255.0 for b in raw]}]}, open(sys.argv[1] + "/body.json", "w"))
PY
taskset -c 1 $cli serve "m=$tmp/run/best.ncmodel" --port 9300 --threads 1 > "$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:9300/v2/health/ready && break; sleep 0.1; done
conc=8
per=$(( (rate + conc - 1) / conc ))
echo "soak: ${minutes} min at ~$((per * conc)) requests/s ($conc clients × $per/s), server pid $pid"
taskset -c 0 hey -z "${minutes}m" -c $conc -q $per -m POST -T application/json -D "$tmp/body.json" \
    http://127.0.0.1:9300/v2/models/m/infer > "$tmp/hey.txt" &
hey_pid=$!
rss() { awk '/VmRSS/ {print $2}' /proc/$pid/status; }
first=""
for m in $(seq 1 "$minutes"); do
    sleep 60
    r=$(rss)
    [ -n "$first" ] || first=$r
    echo "minute $m: server RSS $((r / 1024)) MiB ($r KiB)"
done
wait $hey_pid || true
last=$(rss)
# hey's status table holds only its first 1,000,000 results; the server counts every answer.
curl -s http://127.0.0.1:9300/metrics > "$tmp/metrics.txt"
kill -TERM $pid; wait $pid 2>/dev/null || true
total=$(awk '/Status code distribution/ {f=1; next} f && /\[/ {s+=$2} END {print s+0}' "$tmp/hey.txt")
ok=$(awk '/Status code distribution/ {f=1; next} f && /^ *\[200\]/ {print $2; exit}' "$tmp/hey.txt"); ok=${ok:-0}
errs=$(awk '/Error distribution/ {f=1; next} f && /\[/ {s+=$1} END {print s+0}' "$tmp/hey.txt")
echo "hey's table (first 1,000,000 at most): $total answered, $ok with 200, $((total - ok)) other statuses, $errs client-side errors"
s200=$(awk -F' ' '/^nc_requests_total\{model="m",code="200"\}/ {print $2}' "$tmp/metrics.txt")
sall=$(awk -F' ' '/^nc_requests_total\{model="m",/ {s+=$2} END {print s+0}' "$tmp/metrics.txt")
echo "server's count (/metrics, model m): ${sall} inference requests answered, ${s200:-0} with 200, $((sall - ${s200:-0})) with another status"
grep -E "Requests/sec| 50% in| 99% in" "$tmp/hey.txt" | sed 's/^ */hey: /'
echo "RSS drift from minute 1 to the end: $(( (last - first) )) KiB ($first -> $last KiB)"
