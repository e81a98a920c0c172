@testable import KlientSim
import KlientWire
import Testing

@Suite("port-forward target addresses")
struct PortForwardTargetTests {
    func pod(annotation: String?, podIP: String) -> PodContext {
        var annotations: [String: JSONValue] = [:]
        if let annotation { annotations["klient-sim/port.8080"] = .string(annotation) }
        let object: JSONValue = ["metadata": ["name": "p", "annotations": .object(annotations)],
                                 "status": ["podIP": .string(podIP)]]
        return PodContext(namespace: "ns", name: "p", uid: "u", object: object, workingDirectory: "/tmp")
    }

    @Test func annotationNamesTheAddress() {
        let target = PortForwardTarget(port: 8080, pod: pod(annotation: "127.0.0.1:18080", podIP: "127.0.0.9"))
        #expect(target.addressText == "127.0.0.1:18080")
        #expect(target.address?.port == 18080)
    }

    @Test func podIPIsSubstituted() {
        let target = PortForwardTarget(port: 8080, pod: pod(annotation: "$(POD_IP):9000", podIP: "127.0.0.7"))
        #expect(target.addressText == "127.0.0.7:9000")
        #expect(target.address?.host == "127.0.0.7")
    }

    @Test func withoutAnnotationTheLoopbackPort() {
        let target = PortForwardTarget(port: 8080, pod: pod(annotation: nil, podIP: "127.0.0.7"))
        #expect(target.addressText == "127.0.0.1:8080")
    }
}
