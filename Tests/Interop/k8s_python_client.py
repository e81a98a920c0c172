#!/usr/bin/env python3
"""The official Kubernetes Python client against klient-sim (issue 3 acceptance).

usage: k8s_python_client.py KUBECONFIG [--context NAME]

Creates a pod whose port 8080 maps (annotation klient-sim/port.8080) to an echo
server this script runs, then: list and watch pods, exec with stdin and an exit
code, port-forward 4 MiB byte-exact, delete the pod. Prints "OK <step>" per
step and exits 1 with "FAIL <step>: <why>" on the first mismatch.
"""
import argparse, os, socket, sys, threading, time, uuid

from kubernetes import client, config, watch
from kubernetes.stream import portforward, stream

NS = "default"


def fail(step, why):
    print(f"FAIL {step}: {why}", flush=True)
    sys.exit(1)


def ok(step):
    print(f"OK {step}", flush=True)


def echo_server():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def serve(conn):
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(data)

    def accept():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return srv.getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("kubeconfig")
    p.add_argument("--context")
    args = p.parse_args()
    config.load_kube_config(config_file=args.kubeconfig, context=args.context)
    v1 = client.CoreV1Api()
    echo_port = echo_server()
    name = "py-" + uuid.uuid4().hex[:8]

    names = [ns.metadata.name for ns in v1.list_namespace().items]
    if "default" not in names:
        fail("list-namespaces", names)
    ok("list-namespaces")

    pod = client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, annotations={"klient-sim/port.8080": f"127.0.0.1:{echo_port}"}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="main", image="busybox",
                                                             command=["sh", "-c", "echo started; sleep 3600"])]))
    v1.create_namespaced_pod(NS, pod)
    ok("create-pod")

    w = watch.Watch()
    running = False
    for event in w.stream(v1.list_namespaced_pod, namespace=NS, field_selector=f"metadata.name={name}",
                          timeout_seconds=120):
        if event["object"].status and event["object"].status.phase == "Running":
            running = True
            w.stop()
    if not running:
        fail("watch-running", "pod never reported Running within 120 s")
    ok("watch-running")

    listed = [p.metadata.name for p in v1.list_namespaced_pod(NS).items]
    if name not in listed:
        fail("list-pods", listed)
    ok("list-pods")

    resp = stream(v1.connect_get_namespaced_pod_exec, name, NS,
                  command=["sh", "-c", "read line; echo got:$line; echo oops >&2; exit 3"],
                  stdin=True, stdout=True, stderr=True, tty=False, _preload_content=False)
    resp.write_stdin("hello\n")
    out, err = "", ""
    deadline = time.time() + 120
    while resp.is_open() and time.time() < deadline:
        resp.update(timeout=1)
        out += resp.read_stdout() or ""
        err += resp.read_stderr() or ""
    resp.close()
    if out.strip() != "got:hello" or err.strip() != "oops":
        fail("exec", f"stdout {out!r} stderr {err!r}")
    if resp.returncode != 3:
        fail("exec-exit-code", f"returncode {resp.returncode!r}")
    ok("exec")

    pf = portforward(v1.connect_get_namespaced_pod_portforward, name, NS, ports="8080")
    sock = pf.socket(8080)
    sock.setblocking(True)
    payload = os.urandom(4 << 20)

    def send():
        sock.sendall(payload)

    sender = threading.Thread(target=send)
    sender.start()
    received = bytearray()
    sock.settimeout(120)
    while len(received) < len(payload):
        chunk = sock.recv(1 << 16)
        if not chunk:
            break
        received += chunk
    sender.join()
    sock.close()
    if bytes(received) != payload:
        fail("portforward", f"received {len(received)} bytes, {'equal' if bytes(received) == payload[:len(received)] else 'different'} prefix")
    error = pf.error(8080)
    if error:
        fail("portforward", f"error channel: {error}")
    ok("portforward")

    v1.delete_namespaced_pod(name, NS, grace_period_seconds=0)
    ok("delete-pod")
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
