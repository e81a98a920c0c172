"""Drives exec with the official Python client against a server at argv[1]
(plain http). Prints one line per check: `stdout=...`, `returncode=...`."""
import sys

from kubernetes import client
from kubernetes.stream import stream
from kubernetes.stream.ws_client import ERROR_CHANNEL

configuration = client.Configuration()
configuration.host = sys.argv[1]
api = client.CoreV1Api(client.ApiClient(configuration))

# Non-interactive: output collected, exit code through the error channel.
output = stream(api.connect_get_namespaced_pod_exec, "web-1", "default",
                command=["sh", "-c", "echo from-python; exit 3"],
                stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
output.run_forever(timeout=30)
print("stdout=" + output.read_stdout().strip(), flush=True)
print("returncode=" + str(output.returncode), flush=True)
print("error=" + output.read_channel(ERROR_CHANNEL), flush=True)

# Interactive stdin: the client speaks v4 (no half-close), so the command reads one line.
session = stream(api.connect_get_namespaced_pod_exec, "web-1", "default",
                 command=["sh", "-c", "read line; echo got:$line"],
                 stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
session.write_stdin("hello\n")
session.run_forever(timeout=30)
print("stdin=" + session.read_stdout().strip(), flush=True)
print("returncode2=" + str(session.returncode), flush=True)
