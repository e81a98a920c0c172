#!/usr/bin/env bash
# `make demo`: klient's main job on a laptop with no cluster.
#
# Starts klient-sim with a Deployment + Service whose pod serves HTTP, starts
# klientd, adds a persistent svc/ forward with klientctl, curls through it,
# deletes the pod and shows the forward serving from the replacement, then
# keeps everything running until Ctrl-C with the commands to try next.
#
# KLIENT_DEMO_ONCE=1 stops after the walk-through (the tests run it so).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-$(swift build --show-bin-path)}
for tool in klient-sim klientd klientctl; do
  [ -x "$BIN/$tool" ] || { echo "demo: $BIN/$tool is missing; run make build first" >&2; exit 1; }
done
command -v curl >/dev/null || { echo "demo: curl is missing (make deps installs it)" >&2; exit 1; }

DIR=$(mktemp -d "${TMPDIR:-/tmp}/klient-demo.XXXXXX")
chmod 700 "$DIR"
SIM_PID=
DAEMON_PID=
cleanup() {
  trap - EXIT INT TERM
  [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
  rm -rf "$DIR"
  echo
  echo "demo: stopped klientd and klient-sim, removed $DIR"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

# The pod runs a real HTTP server on its own 127.0.0.x address; the
# annotation tells klient-sim where pod port 8080 lives.
cat > "$DIR/seed.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: hello}}
  template:
    metadata:
      labels: {app: hello}
      annotations: {"klient-sim/port.8080": "$(POD_IP):8080"}
    spec:
      containers:
      - name: web
        image: python:3
        command: [sh, -c, 'echo "hello from pod $HOSTNAME" > index.html && exec python3 -m http.server 8080 --bind "$KUBERNETES_POD_IP"']
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: hello, namespace: default}
spec:
  selector: {app: hello}
  ports: [{name: web, port: 80, targetPort: http}]
EOF

say "Starting klient-sim (a local Kubernetes API) with Deployment + Service 'hello'"
"$BIN/klient-sim" serve --listen 127.0.0.1:0 --state-dir "$DIR/sim" --kubeconfig-out "$DIR/kubeconfig" \
  --ready-file "$DIR/ready" --seed "$DIR/seed.yaml" >"$DIR/sim.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 300); do [ -s "$DIR/ready" ] && break; sleep 0.1; done
[ -s "$DIR/ready" ] || { echo "demo: klient-sim did not start:" >&2; cat "$DIR/sim.log" >&2; exit 1; }
echo "klient-sim serving at $(cat "$DIR/ready"), kubeconfig $DIR/kubeconfig"

export KUBECONFIG="$DIR/kubeconfig"
export KLIENT_SOCKET="$DIR/run/klientd.sock"
mkdir -m 700 -p "$DIR/run"

say "Starting klientd (in the foreground of this demo; normally: systemctl --user start klientd.socket)"
"$BIN/klientd" --socket "$KLIENT_SOCKET" --state-dir "$DIR/state" --kubeconfig "$KUBECONFIG" >"$DIR/klientd.log" 2>&1 &
DAEMON_PID=$!
for _ in $(seq 1 300); do "$BIN/klientctl" status >/dev/null 2>&1 && break; sleep 0.1; done
run "$BIN/klientctl" status

say "Adding a persistent forward to the Service (a free local port, remote port 80)"
run "$BIN/klientctl" forward add --name hello svc/hello :80
run "$BIN/klientctl" forward wait hello --timeout 60s
PORT=$("$BIN/klientctl" forward list -o json | python3 -c 'import json,sys
for f in json.load(sys.stdin)["forwards"]:
    if f.get("name") == "hello": print(f["listeners"][0]["port"])')
run "$BIN/klientctl" forward list

say "curl through the forward"
run curl -sS --max-time 10 "http://127.0.0.1:$PORT/"
FIRST_POD=$("$BIN/klientctl" forward list -o json | python3 -c 'import json,sys
print([f for f in json.load(sys.stdin)["forwards"] if f.get("name") == "hello"][0]["pod"])')

say "Deleting pod $FIRST_POD: the Deployment replaces it, the forward follows"
if command -v kubectl >/dev/null; then
  run kubectl delete pod "$FIRST_POD" --wait=false
else
  run "$BIN/klient-sim" fault restart-pod namespace=default "name=$FIRST_POD" --kubeconfig "$KUBECONFIG"
fi
# The listener never refuses: requests during the switch wait for the new pod.
for i in $(seq 1 100); do
  body=$(curl -sS --max-time 10 "http://127.0.0.1:$PORT/" 2>&1) || { echo "demo: curl failed: $body" >&2; exit 1; }
  case "$body" in *"$FIRST_POD"*) sleep 0.2 ;; *) break ;; esac
done
run curl -sS --max-time 10 "http://127.0.0.1:$PORT/"
run "$BIN/klientctl" forward list

cat <<EOF

The forward is persistent: it survives pod restarts, API-server blips and
klientd restarts (it is saved in $DIR/state/forwards.json).
Try next, in another terminal:

  export KUBECONFIG=$KUBECONFIG KLIENT_SOCKET=$KLIENT_SOCKET PATH=$BIN:\$PATH
  curl http://127.0.0.1:$PORT/
  klientctl forward list -o wide
  klientctl events                          # live state changes
  klient-sim fault drop-streams --kubeconfig \$KUBECONFIG    # cut every stream: the forward recovers
  klientctl forward add deploy/hello 9090:8080
  klientctl forward rm hello

Press Ctrl-C to stop klientd and klient-sim.
EOF

if [ "${KLIENT_DEMO_ONCE:-}" = 1 ]; then exit 0; fi
wait "$DAEMON_PID"
