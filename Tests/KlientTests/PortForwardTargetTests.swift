import Foundation
import Klient
import Testing

/// Choosing a pod and mapping ports for a forward: pure functions over typed objects.
@Suite("port-forward targets: pod choice and port mapping")
struct PortForwardTargetTests {
    static func pod(_ name: String, phase: String = "Running", ready: Bool = true, deleting: Bool = false,
                    readySince: String = "2026-01-01T00:00:00Z", ports: [ContainerPort] = []) throws -> Pod {
        var metadata = ObjectMeta(name: name)
        if deleting { metadata.deletionTimestamp = KubernetesTime(rfc3339: "2026-01-02T00:00:00Z") }
        let condition = StatusCondition(type: "Ready", status: ready ? "True" : "False",
                                        lastTransitionTime: KubernetesTime(rfc3339: readySince))
        return Pod(metadata: metadata, spec: PodSpec(containers: [Container(name: "main", ports: ports)]),
                   status: PodStatus(phase: phase, conditions: [condition]))
    }

    static func service(_ ports: [ServicePort]) -> Service {
        Service(metadata: ObjectMeta(name: "web"), spec: ServiceSpec(selector: ["app": "web"], ports: ports))
    }

    @Test func onlyRunningReadyPodsNotBeingDeletedQualify() throws {
        #expect(PortForwardPodChooser.isReady(try Self.pod("a")))
        #expect(!PortForwardPodChooser.isReady(try Self.pod("b", ready: false)))
        #expect(!PortForwardPodChooser.isReady(try Self.pod("c", phase: "Pending")))
        #expect(!PortForwardPodChooser.isReady(try Self.pod("d", deleting: true)))
    }

    @Test func theCurrentPodIsKeptWhileReady() throws {
        let pods = [try Self.pod("old", readySince: "2026-01-01T00:00:00Z"),
                    try Self.pod("new", readySince: "2026-03-01T00:00:00Z")]
        #expect(PortForwardPodChooser.choose(pods)?.metadata.name == "old")
        #expect(PortForwardPodChooser.choose(pods, current: "new")?.metadata.name == "new")
        #expect(PortForwardPodChooser.choose(pods, current: "gone")?.metadata.name == "old")
    }

    @Test func aDeletedCurrentPodGivesWayToTheReplacement() throws {
        let pods = [try Self.pod("old", deleting: true), try Self.pod("new", readySince: "2026-03-01T00:00:00Z")]
        #expect(PortForwardPodChooser.choose(pods, current: "old")?.metadata.name == "new")
    }

    @Test func noReadyPodIsExplained() throws {
        let pods = [try Self.pod("a", phase: "Pending"), try Self.pod("b", ready: false), try Self.pod("c", deleting: true)]
        #expect(PortForwardPodChooser.choose(pods) == nil)
        #expect(PortForwardPodChooser.explainNoneReady(pods) == "3 pods, none ready (a: Pending, b: not ready, c: terminating)")
        #expect(PortForwardPodChooser.explainNoneReady([]) == "no pods match")
    }

    @Test func servicePortsMapToTargetPorts() throws {
        let pod = try Self.pod("p", ports: [ContainerPort(name: "http", containerPort: 8080)])
        let service = Self.service([ServicePort(name: "web", port: 80, targetPort: .string("http")),
                                    ServicePort(name: "metrics", port: 9100, targetPort: .int(9101)),
                                    ServicePort(port: 5432)])
        #expect(try PortForwardPortMapper.podPort(for: .int(80), service: service, pod: pod) == 8080)
        #expect(try PortForwardPortMapper.podPort(for: .string("web"), service: service, pod: pod) == 8080)
        #expect(try PortForwardPortMapper.podPort(for: .string("metrics"), service: service, pod: pod) == 9101)
        #expect(try PortForwardPortMapper.podPort(for: .int(5432), service: service, pod: pod) == 5432)
        let error = #expect(throws: PortForwardTargetError.self) {
            try PortForwardPortMapper.podPort(for: .int(81), service: service, pod: pod)
        }
        #expect(error?.description == "service web has no port 81 (its ports: 80/web, 9100/metrics, 5432)")
    }

    @Test func podPortsAreNumbersOrNamedContainerPorts() throws {
        let pod = try Self.pod("p", ports: [ContainerPort(name: "http", containerPort: 8080)])
        #expect(try PortForwardPortMapper.podPort(for: .int(9000), service: nil, pod: pod) == 9000)
        #expect(try PortForwardPortMapper.podPort(for: .string("http"), service: nil, pod: pod) == 8080)
        let error = #expect(throws: PortForwardTargetError.self) {
            try PortForwardPortMapper.podPort(for: .string("grpc"), service: nil, pod: pod)
        }
        #expect(error?.description.contains("its named ports: http=8080") == true)
        #expect(throws: PortForwardTargetError.self) { try PortForwardPortMapper.podPort(for: .int(0), service: nil, pod: pod) }
    }

    @Test func selectionsWatchExactlyTheCandidatePods() {
        let pod = PortForwardSelection(target: PortForwardTarget(kind: .pod, name: "p"), namespace: "ns", podName: "p")
        #expect(pod.watchOptions.fieldSelector == "metadata.name=p")
        let selected = PortForwardSelection(target: PortForwardTarget(kind: .service, name: "web"), namespace: "ns",
                                            labelSelector: "app=web")
        #expect(selected.watchOptions.labelSelector == "app=web")
        #expect(PortForwardTarget(kind: .statefulSet, name: "db").description == "sts/db")
    }
}
