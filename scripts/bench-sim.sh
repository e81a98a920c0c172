#!/usr/bin/env bash
# klient-sim as a port-forward server: iperf3 through `kubectl port-forward`
# (tunnel mode with kubectl 1.33, SPDY with 1.27) to an iperf3 server that a
# pod's port maps to, next to iperf3 straight over loopback as the reference.
# `make bench` runs this after the transport benchmarks; needs iperf3 and kubectl.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
RUNS=${RUNS:-3}
command -v iperf3 >/dev/null || { echo "bench-sim: iperf3 is missing (make deps installs it)"; exit 1; }
command -v kubectl >/dev/null || { echo "bench-sim: kubectl is not installed; skipping the klient-sim port-forward benchmark"; exit 0; }
kdir=$(dirname "$(readlink -f "$(command -v kubectl)")")
sim=.build/release/klient-sim
[ -x "$sim" ] || swift build -c release --product klient-sim
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

iperf3 -s -p 0 -1 >/dev/null 2>&1 || true # warm the binary
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
iperf3 -s -B 127.0.0.1 -p "$port" >/dev/null 2>&1 & pids+=($!)
"$sim" serve --state-dir "$work/state" --kubeconfig-out "$work/kc" --ready-file "$work/ready" >"$work/sim.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -s "$work/ready" ] && break; sleep 0.1; done
export KUBECONFIG=$work/kc HOME=$work
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: sink
  annotations: {"klient-sim/port.5201": "127.0.0.1:$port"}
spec:
  containers: [{name: main, image: none}]
YAML

# Median of the receiver-side bits/s of RUNS iperf3 runs against 127.0.0.1:$1.
measure() {
  local p=$1 out=()
  for _ in $(seq "$RUNS"); do
    out+=("$(iperf3 -c 127.0.0.1 -p "$p" -t "$SECONDS_PER_RUN" -J | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8e9)')")
  done
  printf '%s\n' "${out[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %.2f GB/s (runs:", a[int((NR+1)/2)]; for (i=1;i<=NR;i++) printf " %.2f", a[i]; print ")"}'
}

echo "iperf3 straight over loopback (reference): $(measure "$port")"
for v in 1.33 1.27; do
  mode=$([ "$v" = 1.27 ] && echo "SPDY/3.1" || echo "SPDY-in-WebSocket tunnel")
  "$kdir/kubectl.$v" port-forward pod/sink 0:5201 >"$work/pf-$v.log" 2>&1 & pf=$!; pids+=($pf)
  for _ in $(seq 100); do grep -q 'Forwarding from 127.0.0.1' "$work/pf-$v.log" 2>/dev/null && break; sleep 0.1; done
  local_port=$(sed -n 's/^Forwarding from 127.0.0.1:\([0-9]*\).*/\1/p' "$work/pf-$v.log" | head -1)
  echo "kubectl $v port-forward ($mode) through klient-sim: $(measure "$local_port")"
  kill "$pf"
done
