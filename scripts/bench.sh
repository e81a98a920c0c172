#!/usr/bin/env bash
# Runs klient's benchmarks on a release build; `make bench` calls this.
# Results and the commands behind them are recorded in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/klient-bench
[ -x "$bin" ] || swift build -c release --product klient-bench
echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
"$bin" ws-throughput --runs "${RUNS:-5}" --megabytes "${MEGABYTES:-1024}"
"$bin" tls-connections --connections "${CONNECTIONS:-1000}"
