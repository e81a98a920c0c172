import KlientHTTP
import KlientWire

/// A refused port-forward request, answered with a `metav1.Status`.
struct PortForwardRejection: Error, Equatable {
    var status: Int
    var reason: String
    var message: String
    var extraHeaders: [(String, String)] = []

    static func badRequest(_ message: String) -> PortForwardRejection {
        PortForwardRejection(status: 400, reason: "BadRequest", message: message)
    }

    static func == (a: PortForwardRejection, b: PortForwardRejection) -> Bool {
        a.status == b.status && a.reason == b.reason && a.message == b.message
    }

    /// The Status response (`kind: Status`, `code`, `reason`, `message`).
    var response: HTTPServerResponse {
        let status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(self.status)),
        ]
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        return HTTPServerResponse(status: self.status, headers: headers, body: status.encoded())
    }
}
