#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang and -fsanitize=fuzzer,address,undefined into
# build-fuzz/ and runs each for FUZZ_SECONDS, then prints executions, exec/s, corpus size and crashes.
#
#   scripts/fuzz.sh [TARGET...]          # default: project idx cifar safetensors ncmodel image
#                                        # serve_request ncmodel_int8
#   FUZZ_SECONDS=600 FUZZ_JOBS=2 scripts/fuzz.sh
#   FUZZ_MERGE=1 scripts/fuzz.sh idx     # afterwards, merge what was found into the committed
#                                        # corpus as a minimised set (libFuzzer -merge=1)
#   scripts/fuzz.sh --merge [TARGET...]  # only that merge, from the working corpora of earlier runs
#   scripts/fuzz.sh --replay             # only build and run the committed corpus once (-runs=0)
#   scripts/fuzz.sh --seeds [CLI]        # rewrite the seed-* files (tests/fuzz/make_seeds.py)
#
# Working corpora and crash artifacts live in build-fuzz/ (git-ignored). The committed corpus,
# tests/fuzz/corpus/<target>/, holds seed-* (tiny valid files, which must parse), bad-* (hand-written
# invalid ones), regress-* (one per crash fixed, kept forever) and a minimised set of other inputs;
# tests/core/tst_fuzzcorpus replays all of it through the parsers on every CI run. A crash found
# here: fix it, copy the artifact to tests/fuzz/corpus/<target>/regress-<what>, commit both.
#
# Limits per input: -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 (a bigger allocation, more
# memory or a slower input is a bug). Runs with nice -n 10. Needs clang-14 and libclang-rt-14-dev
# (scripts/install-deps.sh). Exit status: 0 when no target found a crash.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
CORPUS=$ROOT/tests/fuzz/corpus
SECONDS_PER_TARGET=${FUZZ_SECONDS:-600}
JOBS=${FUZZ_JOBS:-2}
ALL_TARGETS=(project idx cifar safetensors ncmodel image serve_request ncmodel_int8)
LIMITS=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10)

mode=fuzz
targets=()
case "${1:-}" in
  --replay) mode=replay; shift ;;
  --merge) mode=merge; shift ;;
  --seeds)
    shift
    exec /usr/bin/python3 "$ROOT/tests/fuzz/make_seeds.py" ${1:+--cli "$1"} ;;
  -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")

CXX=${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
if [ -z "$CXX" ]; then
  echo "fuzz.sh: clang++ not found; run scripts/install-deps.sh (clang-14, libclang-rt-14-dev)" >&2
  exit 2
fi

# --- build ---
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  nice -n 10 cmake -S "$ROOT/tests/fuzz" -B "$BUILD" "${generator[@]}" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_BUILD_TYPE= >/dev/null
fi
nice -n 10 cmake --build "$BUILD" -j "${FUZZ_BUILD_JOBS:-2}" -- $(printf 'fuzz_%s ' "${targets[@]}")

# --- run ---
mkdir -p "$BUILD/logs"
run_target() {
  local t=$1 bin="$BUILD/fuzz_$1" work="$BUILD/corpus/$1" art="$BUILD/artifacts/$1/" log="$BUILD/logs/$1.log"
  if [ ! -d "$CORPUS/$t" ] || [ -z "$(ls -A "$CORPUS/$t")" ]; then
    echo "fuzz.sh: $CORPUS/$t is missing or empty" >&2
    return 1
  fi
  mkdir -p "$work" "$art"
  if [ "$mode" = merge ]; then
    return 0
  elif [ "$mode" = replay ]; then
    nice -n 10 "$bin" "${LIMITS[@]}" -runs=0 -artifact_prefix="$art" "$CORPUS/$t" >"$log" 2>&1
  else
    # New inputs go to the working corpus (first folder); the committed one is read only.
    nice -n 10 "$bin" "${LIMITS[@]}" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
      -artifact_prefix="$art" "$work" "$CORPUS/$t" >"$log" 2>&1
  fi
}

summary() {
  local t=$1 log="$BUILD/logs/$1.log" art="$BUILD/artifacts/$1"
  local secs execs rate rss corp cov crashes
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  # libFuzzer's own last word on the corpus (inputs/bytes) and coverage (edges).
  corp=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 | sed -n 's/.*corp: \([^ ]*\).*/\1/p')
  cov=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \
            -o -name 'slow-unit-*' \) 2>/dev/null | wc -l)
  printf '%-12s %5s s %11s %7s %9s %6s %6s MB %4s\n' "$t" "${secs:--}" "${execs:--}" "${rate:--}" \
    "${corp:--}" "${cov:--}" "${rss:--}" "$crashes"
  [ "$crashes" = 0 ]
}

echo "fuzz.sh: mode=$mode targets=${targets[*]} seconds=$SECONDS_PER_TARGET jobs=$JOBS load=$(cut -d' ' -f1-3 /proc/loadavg)"
status=0
pids=()
names=()
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
  run_target "$t" &
  pids+=($!)
  names+=("$t")
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "fuzz.sh: ${names[$i]} stopped with a finding; see $BUILD/logs/${names[$i]}.log" >&2
    grep -E 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error|terminate called|what\(\)|Test unit written' \
      "$BUILD/logs/${names[$i]}.log" | head -5 >&2 || true
    status=1
  fi
done
echo "fuzz.sh: done, load=$(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$mode" != merge ]; then
  echo "target        time  executions  exec/s  corpus(n/bytes) edges   peak rss  crashes"
  for t in "${targets[@]}"; do summary "$t" || status=1; done
fi

# --- merge into the committed corpus, minimised ---
if { [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$mode" = fuzz ]; } || [ "$mode" = merge ]; then
  for t in "${targets[@]}"; do
    keep=$(mktemp -d)
    # seed-*, bad-* and regress-* always stay; the rest is rebuilt as a minimal set adding coverage.
    find "$CORPUS/$t" -maxdepth 1 -type f \( -name 'seed-*' -o -name 'bad-*' -o -name 'regress-*' \) -exec cp {} "$keep/" \;
    before=$(ls "$keep" | wc -l)
    # Edge coverage only (-use_counters=0) and inputs cut to FUZZ_MERGE_MAX_LEN bytes (CIFAR needs
    # whole 3073-byte records) keep the committed set to a few hundred KB in all.
    len=${FUZZ_MERGE_MAX_LEN:-1536}
    [ "$t" = cifar ] && len=8192
    mkdir -p "$BUILD/corpus/$t"
    nice -n 10 "$BUILD/fuzz_$t" "${LIMITS[@]}" -use_counters=0 -max_len="$len" -merge=1 "$keep" "$CORPUS/$t" \
      "$BUILD/corpus/$t" >"$BUILD/logs/$t.merge.log" 2>&1
    find "$CORPUS/$t" -maxdepth 1 -type f ! -name 'seed-*' ! -name 'bad-*' ! -name 'regress-*' -delete
    find "$keep" -maxdepth 1 -type f ! -name 'seed-*' ! -name 'bad-*' ! -name 'regress-*' -exec cp {} "$CORPUS/$t/" \;
    echo "fuzz.sh: merged $t: $before kept + $(( $(ls "$keep" | wc -l) - before )) minimised inputs," \
         "$(du -sk --apparent-size "$CORPUS/$t" | cut -f1) KB"
    rm -rf "$keep"
  done
fi
exit $status
