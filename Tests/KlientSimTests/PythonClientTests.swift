import Foundation
import Testing
import KlientTestSupport

private let script = #"""
import sys, threading, time
from kubernetes import client, config, watch
config.load_kube_config(config_file=sys.argv[1], context=sys.argv[2])
v1 = client.CoreV1Api()
print("NAMESPACES", ",".join(sorted(n.metadata.name for n in v1.list_namespace().items)), flush=True)
pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "py-a", "labels": {"app": "py"}},
       "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
v1.create_namespaced_pod("default", pod)
print("PODS", ",".join(p.metadata.name for p in v1.list_namespaced_pod("default", label_selector="app=py").items), flush=True)
def later():
    time.sleep(0.5)
    pod["metadata"]["name"] = "py-b"
    v1.create_namespaced_pod("default", pod)
threading.Thread(target=later).start()
seen = []
for ev in watch.Watch().stream(v1.list_namespaced_pod, "default", label_selector="app=py", timeout_seconds=3):
    seen.append(ev["type"] + ":" + ev["object"].metadata.name)
print("WATCH", ",".join(seen), flush=True)
try:
    v1.read_namespaced_pod("missing", "default")
except client.exceptions.ApiException as e:
    print("ERROR", e.status, flush=True)
v1.delete_namespaced_pod("py-a", "default")
print("DONE", flush=True)
"""#

@Suite(.serialized) struct PythonClientTests {
    @Test(arguments: ["klient-sim", "klient-sim-exec"])
    func officialClientListsAndWatches(context: String) async throws {
        guard let python = TestPython.executable else {
            Issue.record("no Python venv with the kubernetes package (.build/venv)")
            return
        }
        let sim = try await SimServeProcess()
        let p = try TestProcess(python, ["-c", script, sim.kubeconfig, context], environment: ["HOME": sim.home])
        let status = try await p.finish(timeout: .seconds(60))
        let out = p.transcript
        #expect(status == 0, "\(out)")
        #expect(out.contains("NAMESPACES default,kube-node-lease,kube-public,kube-system"), "\(out)")
        #expect(out.contains("PODS py-a"))
        #expect(out.contains("WATCH ADDED:py-a,ADDED:py-b"), "\(out)")
        #expect(out.contains("ERROR 404"))
        #expect(out.contains("DONE"))
        #expect(try await sim.stop() == 0)
    }
}
