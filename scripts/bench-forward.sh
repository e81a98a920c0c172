#!/usr/bin/env bash
# Port-forward benchmark (issue 6): klientd's forwards next to
# `kubectl port-forward` (1.33, and 1.27 when installed), on the same
# release klient-sim, to the same echo server (`klient-bench echo-server`)
# that the pod's port 8080 maps to (annotation `klient-sim/port.8080`).
#
# For each forwarder (and "direct", the echo server without any forward, as
# the reference): RUNS runs each of one-connection throughput (MEGABYTES MiB
# written while the echo is read back and checked) and of LATENCY_COUNT
# sequential connect + 1-byte echo + close, runs interleaved across the
# forwarders; then one run of CONNECTIONS concurrent connections (1 KiB echo
# each) with the forwarder's peak RSS and threads sampled every 50 ms. Then a
# fresh klientd's idle RSS with IDLE_FORWARDS forwards of svc/web.
# "klientd" is `klientctl forward add svc/web :80` (mode auto: the tunnel when
# the server offers it); "klientd-channel" is the same with `--mode channel`
# (pooled channel-mode sessions) in a second klientd, with KLIENTD_CHANNEL=1.
# `make bench` runs it (from scripts/bench.sh); docs/performance.md has the results.
#
# Results: $OUT/results.json (default .build/bench-forward), per-run JSON in
# $OUT/runs/, latency samples (µs, one a line) in $OUT/latency/, the
# processes' logs in $OUT/logs/, and the
# latency chart at $CHART (default $OUT/forward-latency.svg; CHART=docs/forward-latency.svg
# to update the documented one).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
MEGABYTES=${MEGABYTES:-1024}
LATENCY_COUNT=${LATENCY_COUNT:-1000}
CONNECTIONS=${CONNECTIONS:-1000}
IDLE_FORWARDS=${IDLE_FORWARDS:-50}
KLIENTD_CHANNEL=${KLIENTD_CHANNEL:-0}
OUT=${OUT:-.build/bench-forward}
CHART=${CHART:-$OUT/forward-latency.svg}

for product in klient-sim klient-bench klientd klientctl; do
  swift build -c release --product "$product" >/dev/null
done
bin=$PWD/.build/release
bench=$bin/klient-bench
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -rf "$OUT/runs" "$OUT/latency" "$OUT/logs" "$OUT/results.json" "$OUT/summary.txt"
mkdir -p "$OUT/runs" "$OUT/latency"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  mkdir -p "$OUT/logs" && cp "$work"/*.log "$OUT/logs/" 2>/dev/null || true # kept for a post-mortem
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HOME=$work KUBECONFIG=$work/kc

note() { echo "bench-forward: $*"; }

# The "pod": an echo server.
"$bench" echo-server --listen 127.0.0.1:0 >"$work/echo.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do grep -q '^listening on' "$work/echo.log" && break; sleep 0.1; done
echo_port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/echo.log")
[ -n "$echo_port" ] || { note "the echo server did not start"; cat "$work/echo.log"; exit 1; }

# klient-sim with a Deployment whose pods map port 8080 to the echo server, and a Service 80 -> 8080.
cat >"$work/seed.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {"klient-sim/port.8080": "127.0.0.1:$echo_port"}
    spec:
      containers: [{name: web, image: echo, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
YAML
"$bin/klient-sim" serve --state-dir "$work/sim" --kubeconfig-out "$work/kc" --ready-file "$work/ready" \
    --seed "$work/seed.yaml" >"$work/sim.log" 2>&1 & pids+=($!)
for _ in $(seq 300); do [ -s "$work/ready" ] && break; sleep 0.1; done
[ -s "$work/ready" ] || { note "klient-sim did not start"; cat "$work/sim.log"; exit 1; }

# The forwarders: name -> kubectl binary (kubectl.1.33 and kubectl.1.27 beside the real kubectl).
declare -A kubectl_bin=() fpid=() port=() restarts=()
clients=(direct)
port[direct]=$echo_port
if command -v kubectl >/dev/null; then
  kdir=$(dirname "$(readlink -f "$(command -v kubectl)")")
  for v in 1.33 1.27; do
    if [ -x "$kdir/kubectl.$v" ]; then
      kubectl_bin[kubectl-$v]=$kdir/kubectl.$v
      clients+=("kubectl-$v")
    else
      note "$kdir/kubectl.$v is missing; skipping kubectl $v"
    fi
  done
  if [ ${#kubectl_bin[@]} -eq 0 ]; then kubectl_bin[kubectl]=$(command -v kubectl); clients+=(kubectl); fi
  # kubectl port-forward needs the pod Ready before it starts.
  for _ in $(seq 300); do
    [ "$(kubectl get pods -l app=web -o jsonpath='{.items[*].status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] && break
    sleep 0.1
  done
else
  note "kubectl is not installed; skipping the kubectl port-forward side of the benchmark"
fi

# Starts (or restarts) kubectl port-forward for $1 and sets port[$1]; returns 1 if it does not come up.
start_kubectl() {
  local name=$1 log=$work/$1.log
  "${kubectl_bin[$name]}" port-forward svc/web 0:80 >"$log" 2>&1 & fpid[$name]=$!; pids+=($!)
  for _ in $(seq 300); do grep -q '^Forwarding from 127.0.0.1:' "$log" && break; kill -0 "${fpid[$name]}" 2>/dev/null || break; sleep 0.1; done
  port[$name]=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log" | head -1)
  [ -n "${port[$name]}" ] || { note "$name port-forward did not start:"; sed 's/^/  /' "$log"; return 1; }
}

# klientd instance NAME: socket $work/NAME/klientd.sock, log $work/NAME.log; `ctl NAME ARGS...` talks to it.
ctl() { local name=$1; shift; "$bin/klientctl" --socket "$work/$name/klientd.sock" "$@"; }

# Starts klientd instance $1 with state directory $2; waits until it answers.
start_klientd() {
  local name=$1
  mkdir -p -m 700 "$work/$name"
  "$bin/klientd" --socket "$work/$name/klientd.sock" --state-dir "$2" --kubeconfig "$work/kc" \
      >>"$work/$name.log" 2>&1 & fpid[$name]=$!; pids+=($!)
  for _ in $(seq 300); do ctl "$name" status >/dev/null 2>&1 && return 0; kill -0 "${fpid[$name]}" 2>/dev/null || break; sleep 0.1; done
  note "klientd ($name) did not start:"; sed 's/^/  /' "$work/$name.log"; return 1
}

# Adds `svc/web :80` (with flags $2...) to klientd instance $1 and waits for it; prints the 127.0.0.1 port.
add_forward() {
  local name=$1 json id; shift
  json=$(ctl "$name" forward add "$@" svc/web :80 -o json 2>&1) || { echo "$json" >&2; return 1; }
  id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$json") || { echo "$json" >&2; return 1; }
  json=$(ctl "$name" forward wait "$id" --timeout 60s -o json 2>&1) || { echo "$json" >&2; return 1; }
  echo "$json" >"$work/last-forward.json"
  python3 -c '
import json, sys
f = json.loads(sys.argv[1])
print(next(l["port"] for l in f["listeners"] if l["address"] == "127.0.0.1"))' "$json" || { echo "$json" >&2; return 1; }
}

for name in "${!kubectl_bin[@]}"; do
  restarts[$name]=0
  start_kubectl "$name" || clients=("${clients[@]/$name}")
done

# klientd instance $1 with one forward (flags $2...), added to the clients when it is ready.
klientd_note=""
setup_klientd() {
  local name=$1 p; shift
  start_klientd "$name" "$work/$name/state" || { klientd_note+="$name: klientd did not start; "; return 0; }
  if p=$(add_forward "$name" "$@" 2>"$work/add.err"); then
    port[$name]=$p
    restarts[$name]=0
    clients+=("$name")
    cp "$work/last-forward.json" "$OUT/runs/$name-forward.json"
  else
    klientd_note+="$name: the forward did not become ready: $(tr '\n' ' ' <"$work/add.err"); "
  fi
}
# Each mode in its own klientd, so one's memory and leaks never show in the other's figures.
setup_klientd klientd
if [ "$KLIENTD_CHANNEL" = 1 ]; then setup_klientd klientd-channel --mode channel; fi
[ -z "$klientd_note" ] || note "${klientd_note}skipped"
read -ra clients <<<"${clients[*]}"   # drop emptied entries
note "echo server 127.0.0.1:$echo_port; forwarders: $(for c in "${clients[@]}"; do printf '%s→%s ' "$c" "${port[$c]}"; done)"

# True if $1's forwarder is still running; a kubectl that exited is restarted (and counted).
alive() {
  local name=$1
  [ "$name" = direct ] && return 0
  kill -0 "${fpid[$name]}" 2>/dev/null && return 0
  [[ "$name" == klientd* ]] && { note "klientd exited"; return 1; }
  note "$name port-forward exited ($(tail -1 "$work/$name.log")); restarting it"
  restarts[$name]=$((restarts[$name] + 1))
  start_kubectl "$name"
}

# pf-load with its output prefixed by the forwarder's name; a failed run is recorded, not fatal.
load() {
  local name=$1; shift
  alive "$name" || return 0
  "$bench" pf-load "$@" --port "${port[$name]}" 2>&1 | sed "s/^/[$name] /" || true
}

echo "warm-up: 16 MiB and 50 connections through each forwarder"
for c in "${clients[@]}"; do
  load "$c" throughput --megabytes 16 >/dev/null
  load "$c" latency --count 50 >/dev/null
done
for i in $(seq "$RUNS"); do
  echo "throughput run $i of $RUNS ($MEGABYTES MiB each way, one connection)"
  for c in "${clients[@]}"; do load "$c" throughput --megabytes "$MEGABYTES" --json "$OUT/runs/$c-throughput-$i.json"; done
done
for i in $(seq "$RUNS"); do
  echo "latency run $i of $RUNS ($LATENCY_COUNT sequential connections)"
  for c in "${clients[@]}"; do
    load "$c" latency --count "$LATENCY_COUNT" --out "$OUT/latency/$c-$i.txt" --json "$OUT/runs/$c-latency-$i.json"
  done
done

# Samples /proc/PID/status every 50 ms until SIGTERM: max Threads and VmRSS, and VmHWM.
cat >"$work/sample.py" <<'PY'
import json, signal, sys, time
pid, out, label = sys.argv[1], sys.argv[2], sys.argv[3]
stop = False
def finish(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, finish)
peak = {"maxThreads": 0, "maxRssKiB": 0, "hwmKiB": 0, "samples": 0}
def sample():
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return
    if "VmRSS" not in fields:  # exited (a zombie has no memory lines)
        return
    peak["samples"] += 1
    peak["maxThreads"] = max(peak["maxThreads"], int(fields["Threads"]))
    peak["maxRssKiB"] = max(peak["maxRssKiB"], int(fields["VmRSS"].split()[0]))
    peak["hwmKiB"] = max(peak["hwmKiB"], int(fields["VmHWM"].split()[0]))
while not stop:
    sample()
    time.sleep(0.05)
sample()
with open(out, "w") as f:
    json.dump(peak, f)
print(f"[{label}] peak RSS {peak['hwmKiB'] / 1024:.1f} MiB, max threads {peak['maxThreads']} ({peak['samples']} samples every 50 ms)")
PY
for c in "${clients[@]}"; do
  echo "concurrent: $CONNECTIONS connections at once through $c"
  alive "$c" || continue
  sampler=""
  if [ "$c" != direct ]; then
    echo 5 >"/proc/${fpid[$c]}/clear_refs" 2>/dev/null || true # VmHWM restarts from the current RSS
    python3 "$work/sample.py" "${fpid[$c]}" "$OUT/runs/$c-concurrent-process.json" "$c" & sampler=$!; pids+=($sampler)
    sleep 0.2
  fi
  load "$c" concurrent --connections "$CONNECTIONS" --json "$OUT/runs/$c-concurrent.json"
  if [ -n "$sampler" ]; then
    sleep 0.2
    kill -TERM "$sampler" 2>/dev/null || true
    wait "$sampler" || true
  fi
  if [ "$c" != direct ] && ! kill -0 "${fpid[$c]}" 2>/dev/null; then note "$c exited after the concurrent run: $(tail -1 "$work/$c.log")"; fi
done

# Idle klientd with IDLE_FORWARDS forwards: a fresh daemon, so the load above leaves no trace.
idle_file=$OUT/runs/klientd-idle.json
if [[ " ${clients[*]} " == *" klientd "* ]]; then
  for c in klientd klientd-channel; do
    [ -n "${fpid[$c]:-}" ] || continue
    kill -TERM "${fpid[$c]}" 2>/dev/null || true
    wait "${fpid[$c]}" 2>/dev/null || true
  done
  if start_klientd klientd-idle "$work/klientd-idle/state"; then
    status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/${fpid[klientd-idle]}/status"; }
    sleep 2
    rss0=$(status VmRSS)
    echo "idle: klientd with $IDLE_FORWARDS forwards of svc/web (RSS with none: $((rss0 / 1024)) MiB)"
    added=0 start=$(date +%s.%N)
    for _ in $(seq "$IDLE_FORWARDS"); do
      add_forward klientd-idle >/dev/null 2>>"$work/idle.err" && added=$((added + 1))
    done
    took=$(python3 -c "import sys; print(f'{$(date +%s.%N) - $start:.2f}')")
    sleep 5
    python3 - "$idle_file" "$rss0" "$added" "$IDLE_FORWARDS" "$took" "${fpid[klientd-idle]}" "$work/idle.err" <<'PY'
import json, os, sys
out, rss0, added, wanted, took, pid, errs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6], sys.argv[7]
fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status") if ":" in l)
kib = lambda k: int(fields[k].split()[0])
errors = [l.strip() for l in open(errs) if l.strip()][:5] if os.path.exists(errs) else []
r = {"forwards": added, "requested": wanted, "addSeconds": took, "rssKiB": kib("VmRSS"), "rssBeforeKiB": rss0,
     "hwmKiB": kib("VmHWM"), "threads": int(fields["Threads"]), "openFds": len(os.listdir(f"/proc/{pid}/fd")),
     "errors": errors}
json.dump(r, open(out, "w"))
print(f"[klientd] {added} of {wanted} forwards ready (added and waited for in {took:.1f} s); after 5 s idle: "
      f"RSS {r['rssKiB']/1024:.1f} MiB, threads {r['threads']}, open fds {r['openFds']}")
for e in errors: print(f"[klientd]   {e}")
PY
  fi
fi

# Results: medians, ratios, targets; results.json and the summary.
python3 - "$OUT" "$RUNS" "$MEGABYTES" "$LATENCY_COUNT" "$CONNECTIONS" "$(nproc)" "$klientd_note" "${clients[@]}" <<'PY' | tee "$OUT/summary.txt"
import json, os, platform, statistics, sys, time
out, runs, mib, count, conns, cores, knote, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], sys.argv[8:]
def load(path):
    try:
        with open(path) as f: return json.load(f)
    except (OSError, ValueError): return None
med = lambda xs: statistics.median(xs) if xs else None
res = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cores": cores, "kernel": platform.release(),
       "parameters": {"runs": runs, "megabytes": mib, "latencyCount": count, "connections": conns},
       "clients": {}, "notes": [knote] if knote else []}
for c in clients:
    tp = [load(f"{out}/runs/{c}-throughput-{i}.json") for i in range(1, runs + 1)]
    lat = [load(f"{out}/runs/{c}-latency-{i}.json") for i in range(1, runs + 1)]
    ok_tp = [r for r in tp if r and r.get("errors") == 0]
    ok_lat = [r for r in lat if r and "p50us" in r]
    entry = {
        "throughput": {"runs": [r for r in tp if r], "failedRuns": runs - len(ok_tp),
                       "medianReadMBps": med([r["readMBps"] for r in ok_tp]),
                       "medianWriteMBps": med([r["writeMBps"] for r in ok_tp])},
        "latency": {"runs": [r for r in lat if r], "errors": sum(r.get("errors", 0) for r in lat if r) + sum(1 for r in lat if r is None) * count,
                    **{f"median{k[0].upper()}{k[1:]}": med([r[k] for r in ok_lat]) for k in ("p50us", "p90us", "p99us", "maxUs")},
                    "files": [f"{out}/latency/{c}-{i}.txt" for i in range(1, runs + 1) if os.path.exists(f"{out}/latency/{c}-{i}.txt")]},
        "concurrent": load(f"{out}/runs/{c}-concurrent.json"),
        "concurrentProcess": load(f"{out}/runs/{c}-concurrent-process.json"),
    }
    res["clients"][c] = entry
for c in ("klientd", "klientd-channel"):
    forward = load(f"{out}/runs/{c}-forward.json")
    if forward and c in res["clients"]:
        res["clients"][c]["forward"] = {k: forward.get(k) for k in ("mode", "activeMode", "pool", "pod", "target")}
idle = load(f"{out}/runs/klientd-idle.json")
if idle: res["klientdIdle"] = idle
ratio = lambda a, b: a / b if a is not None and b else None
k = res["clients"].get("klientd")
res["ratios"] = {}
for kc, c in [(kc, c) for kc in ("klientd", "klientd-channel") for c in clients]:
    if not c.startswith("kubectl") or kc not in res["clients"]: continue
    k, o = res["clients"][kc], res["clients"][c]
    res["ratios"][f"{kc}/{c}"] = {
        "throughput": ratio(k["throughput"]["medianReadMBps"], o["throughput"]["medianReadMBps"]),
        "latencyP50": ratio(k["latency"]["medianP50us"], o["latency"]["medianP50us"]),
        "latencyP99": ratio(k["latency"]["medianP99us"], o["latency"]["medianP99us"]),
    }
with open(f"{out}/results.json", "w") as f: json.dump(res, f, indent=2)

f = lambda v, fmt: "—" if v is None else fmt.format(v)
print()
print(f"port-forward benchmark: {cores} cores; throughput {mib} MiB each way (median of {runs}), "
      f"latency {count} sequential connect+1-byte echo (medians of {runs} runs' percentiles), {conns} concurrent")
print(f"{'':16} {'MB/s echoed':>11} {'MB/s sent':>9} {'p50 µs':>8} {'p90 µs':>8} {'p99 µs':>8} {'conc. errors':>12} {'conc. wall':>10} {'peak RSS':>9} {'threads':>7}")
for c in clients:
    e = res["clients"][c]; t, l, cc, p = e["throughput"], e["latency"], e["concurrent"] or {}, e["concurrentProcess"] or {}
    print(f"{c:16} {f(t['medianReadMBps'], '{:.0f}'):>11} {f(t['medianWriteMBps'], '{:.0f}'):>9} "
          f"{f(l['medianP50us'], '{:.0f}'):>8} {f(l['medianP90us'], '{:.0f}'):>8} {f(l['medianP99us'], '{:.0f}'):>8} "
          f"{f(cc.get('errors'), '{}'):>12} {f(cc.get('wallSeconds'), '{:.2f} s'):>10} "
          f"{f(p.get('hwmKiB') and p['hwmKiB'] / 1024, '{:.0f} MiB'):>9} {f(p.get('maxThreads'), '{}'):>7}")
    extra = []
    if t["failedRuns"]: extra.append(f"{t['failedRuns']} failed throughput runs")
    if l["errors"]: extra.append(f"{l['errors']} failed latency connections")
    if extra: print(f"{'':16} " + "; ".join(extra))
print("individual runs (sorted): MB/s echoed | latency p50 µs | latency p99 µs")
for c in clients:
    t, l = res["clients"][c]["throughput"], res["clients"][c]["latency"]
    runs_of = lambda rs, k: " ".join(f"{v:.0f}" for v in sorted(r[k] for r in rs if k in r)) or "—"
    print(f"  {c:16} {runs_of(t['runs'], 'readMBps')} | {runs_of(l['runs'], 'p50us')} | {runs_of(l['runs'], 'p99us')}")
for name, r in res["ratios"].items():
    print(f"ratio {name}: throughput {f(r['throughput'], '{:.2f}×')} (target ≥ 2×), "
          f"latency p50 {f(r['latencyP50'], '{:.2f}×')}, p99 {f(r['latencyP99'], '{:.2f}×')} (target ≤ 0.3×)")
for kc in ("klientd", "klientd-channel"):
    k = res["clients"].get(kc)
    if not k: continue
    kf = k.get("forward") or {}
    print(f"{kc}: forward {kf.get('target')} mode {kf.get('mode')} (active: {kf.get('activeMode')}), pool {kf.get('pool')}, pod {kf.get('pod')}")
    cc, p = k["concurrent"] or {}, k["concurrentProcess"] or {}
    print(f"{kc}, {conns} concurrent: errors {cc.get('errors')} (target 0), peak RSS {f(p.get('hwmKiB') and p['hwmKiB'] / 1024, '{:.1f} MiB')} "
          f"(target ≤ 100 MiB), threads {p.get('maxThreads')} (target ≤ 2 × {cores} + 4 = {2 * cores + 4})")
if idle:
    print(f"klientd idle with {idle['forwards']} forwards: RSS {idle['rssKiB'] / 1024:.1f} MiB (target ≤ 40 MiB; "
          f"{idle['rssBeforeKiB'] / 1024:.1f} MiB with none), threads {idle['threads']}")
for n in res["notes"]: print("note:", n)
print(f"results: {out}/results.json")
PY

# The latency chart: every run's samples pooled per forwarder.
series=()
for c in "${clients[@]}"; do
  files=$(ls "$OUT"/latency/"$c"-[0-9]*.txt 2>/dev/null | paste -sd, -) || true
  [ -n "$files" ] && series+=("$c=$files")
done
if [ ${#series[@]} -gt 0 ]; then
  mkdir -p "$(dirname "$CHART")"
  python3 scripts/latency-chart.py --out "$CHART" "${series[@]}"
fi
