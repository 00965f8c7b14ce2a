#!/usr/bin/env bash
# Builds the whole project with a sanitizer and runs the whole test suite under it.
#   scripts/sanitize.sh asan    # AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   scripts/sanitize.sh tsan    # ThreadSanitizer (build-tsan/)
# Presets and sanitizer options: CMakePresets.json; suppressions (each with its reason):
# tests/sanitizers/*.supp. Extra arguments go to ctest (e.g. -R tst_traintab).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh asan|tsan [ctest args...]}
shift
case "$kind" in asan|tsan) ;; *) echo "sanitize.sh: asan or tsan, not $kind" >&2; exit 2 ;; esac
jobs=${NC_JOBS:-$(nproc)}
cmake --preset "$kind" >/dev/null
cmake --build --preset "$kind" -j "$jobs"
# Sanitized code is 2-15x slower: tests scale their time limits by NC_TIME_SCALE.
export NC_TIME_SCALE=${NC_TIME_SCALE:-$([[ $kind == tsan ]] && echo 10 || echo 4)}
# QtTest's watchdog ends a test function after 5 minutes; it forks to print a backtrace, which
# deadlocks in OpenBLAS's fork handler. Sanitized functions get the same scale.
export QTEST_FUNCTION_TIMEOUT=${QTEST_FUNCTION_TIMEOUT:-$((300000 * NC_TIME_SCALE))}
ctest --preset "$kind" -j "$jobs" --timeout 3600 "$@"
