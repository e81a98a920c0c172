import Foundation
import KlientWire

/// `klient-sim credential`: an ExecCredential with a short-lived token signed
/// with the key in the state directory.
public enum ExecCredentialIssuer {
    public static let defaultLifetimeSeconds = 300

    /// The ExecCredential JSON. `execInfo` is `KUBERNETES_EXEC_INFO`; its
    /// apiVersion (v1 or v1beta1) is echoed.
    /// - Throws: ``SimCluster/Failure`` when the signing key cannot be read.
    public static func credential(stateDirectory: String, lifetimeSeconds: Int = defaultLifetimeSeconds,
                                  user: String = "klient-sim-exec", execInfo: String? = nil) throws -> JSONValue {
        let path = stateDirectory + "/" + SimCluster.signingKeyFile
        guard let data = FileManager.default.contents(atPath: path),
              let hex = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              hex.count == 64 else {
            throw SimCluster.Failure(description: "cannot read the token-signing key \(path); is klient-sim serve running with --state-dir \(stateDirectory)?")
        }
        var key: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else {
                throw SimCluster.Failure(description: "the token-signing key \(path) is not hex")
            }
            key.append(byte)
            index = next
        }
        var apiVersion = "client.authentication.k8s.io/v1"
        if let execInfo, let info = try? JSONValue.parse(execInfo), let v = info["apiVersion"]?.stringValue { apiVersion = v }
        let (token, expires) = ExecTokenSigner(key: key).mint(user: user, lifetime: lifetimeSeconds)
        return ["apiVersion": .string(apiVersion), "kind": "ExecCredential", "spec": .object([:]),
                "status": ["token": .string(token), "expirationTimestamp": .string(SimClock.timestamp(expires))]]
    }
}
