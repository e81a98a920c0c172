#!/usr/bin/env bash
# Runs klient's benchmarks on a release build; `make bench` calls this.
# Results and the commands behind them are recorded in docs/performance.md.
# RUNS, MEGABYTES and CONNECTIONS override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/klient-bench
[ -x "$bin" ] || swift build -c release --product klient-bench
runs=${RUNS:-5}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), kernel $(uname -r)"
echo "openssl: $(openssl version 2>/dev/null || echo unknown); AES-128-GCM, one core, 16 KiB blocks:" \
     "$(openssl speed -evp aes-128-gcm -seconds 1 -bytes 16384 2>/dev/null | awk '/^AES-128-GCM/ {printf "%.2f GB/s", $2/1e6}')"
echo
# The target: WebSocket over TLS. Then two references that bound it: the same
# WebSocket path without TLS, and raw TLS without WebSocket.
"$bin" ws-throughput ws-plain-throughput tls-throughput --runs "$runs" --megabytes "${MEGABYTES:-1024}"
echo
"$bin" tls-connections --connections "${CONNECTIONS:-1000}"
scripts/bench-sim.sh
scripts/bench-list.sh
scripts/bench-forward.sh
scripts/bench-exec.sh
