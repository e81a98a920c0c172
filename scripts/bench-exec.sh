#!/usr/bin/env bash
# `klientctl exec` (through klientd) next to `kubectl exec` on one release
# klient-sim: the median wall time of RUNS runs of `exec POD -- true`, each
# its own process, and the stdout throughput of `head -c SIZE /dev/zero`
# counted by `wc -c` (THROUGHPUT_RUNS runs each, median); the two clients
# alternate run by run. `make bench` runs
# it; needs kubectl (KUBECTL, default: kubectl.1.33 beside kubectl's real path).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-50}
THROUGHPUT_RUNS=${THROUGHPUT_RUNS:-5}
SIZE=${SIZE:-1G}
if [ -z "${KUBECTL:-}" ]; then
  real=$(readlink -f "$(command -v kubectl 2>/dev/null || echo /nonexistent)" 2>/dev/null || true)
  KUBECTL=$(dirname "${real:-/}")/kubectl.1.33
  [ -x "$KUBECTL" ] || KUBECTL=$(command -v kubectl || true)
fi
[ -n "$KUBECTL" ] && [ -x "$KUBECTL" ] || { echo "bench-exec: kubectl is not installed; skipping"; exit 0; }
for product in klient-sim klientd klientctl; do swift build -c release --product "$product" >/dev/null; done
sim=.build/release/klient-sim
klientd=.build/release/klientd
klientctl=.build/release/klientctl
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export HOME=$work

cat >"$work/seed.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: bench, namespace: default}
spec:
  containers:
  - {name: main, image: busybox, command: [sleep, "100000"]}
YAML
"$sim" serve --state-dir "$work/state" --kubeconfig-out "$work/kc" --ready-file "$work/ready" \
    --seed "$work/seed.yaml" >"$work/sim.log" 2>&1 & pids+=($!)
for _ in $(seq 600); do [ -s "$work/ready" ] && break; sleep 0.1; done
[ -s "$work/ready" ] || { echo "bench-exec: klient-sim did not start"; cat "$work/sim.log"; exit 1; }
socket=$work/run/klientd.sock
mkdir -m 700 -p "$work/run"
"$klientd" --socket "$socket" --state-dir "$work/kstate" --kubeconfig "$work/kc" --log-level warning \
    >"$work/klientd.log" 2>&1 & pids+=($!)
export KLIENT_SOCKET=$socket
ctl=("$klientctl" exec bench -- true)
kube=("$KUBECTL" --kubeconfig "$work/kc" exec bench -- true)
# Wait for the pod and klientd; one run each also warms klientd's connection and kubectl's caches.
for _ in $(seq 300); do "${ctl[@]}" 2>/dev/null && break; sleep 0.2; done
"${ctl[@]}"
"${kube[@]}"

# The two clients run alternately (klientctl, kubectl, klientctl, ...), so both
# see the same load on this shared machine; each run is its own process.
compare() {
  python3 - "$@" <<'PY'
import json, subprocess, sys, time
mode, runs = sys.argv[1], int(sys.argv[2])
cmds = json.loads(sys.argv[3])
def once(cmd):
    start = time.monotonic()
    if mode == "latency":
        if subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL).returncode != 0:
            sys.exit(f"{cmd[0]} failed")
        return time.monotonic() - start, 0
    client = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    wc = subprocess.run(["wc", "-c"], stdin=client.stdout, capture_output=True, text=True)
    client.stdout.close()
    if client.wait() != 0: sys.exit(f"{cmd[0]} failed")
    return time.monotonic() - start, int(wc.stdout.split()[0])
results = [[], []]
for _ in range(runs):
    for i, cmd in enumerate(cmds):
        results[i].append(once(cmd))
for values in results:
    if mode == "latency":
        v = sorted(w for w, _ in values)
        print(f"{v[len(v) // 2]:.4f} {v[0]:.4f} {v[-1]:.4f}")
    else:
        v = sorted(n / w / 1e6 for w, n in values)
        print(f"{v[len(v) // 2]:.0f} {values[0][1]} " + ",".join(f"{r:.0f}" for r in v))
PY
}
json_cmd() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@"; }
pair() { printf '[%s,%s]' "$(json_cmd "${ctl[@]}")" "$(json_cmd "${kube[@]}")"; }
version=$("$KUBECTL" version --client -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])' 2>/dev/null || echo '?')
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
{ read -r cm cmin cmax; read -r km kmin kmax; } < <(compare latency "$RUNS" "$(pair)")
echo "exec POD -- true, median of $RUNS runs each, alternating (wall s; min-max):"
echo "  klientctl exec (klientd): ${cm} s  (${cmin}-${cmax})"
echo "  kubectl exec ($version): ${km} s  (${kmin}-${kmax})"
python3 -c "print(f'  ratio klientctl/kubectl: {$cm/$km:.3f}x')"

# Throughput: `head -c SIZE /dev/zero` in the pod, stdout through the client into `wc -c`.
ctl=("$klientctl" exec bench -- head -c "$SIZE" /dev/zero)
kube=("$KUBECTL" --kubeconfig "$work/kc" exec bench -- head -c "$SIZE" /dev/zero)
{ read -r cr cbytes cruns; read -r kr kbytes kruns; } < <(compare throughput "$THROUGHPUT_RUNS" "$(pair)")
echo "stdout of head -c $SIZE /dev/zero | wc -c, median of $THROUGHPUT_RUNS runs each, alternating (MB/s):"
echo "  klientctl exec (klientd): ${cr} MB/s  ($cbytes bytes; runs: $cruns)"
echo "  kubectl exec ($version): ${kr} MB/s  ($kbytes bytes; runs: $kruns)"
python3 -c "print(f'  ratio klientctl/kubectl: {$cr/$kr:.2f}x')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
