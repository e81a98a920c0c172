#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import KlientIO
import KlientRPC

/// Binds a forward's listeners: every address on the same local port per
/// forwarded port, like kubectl. Port 0 picks a free port (on the first
/// address) and records it in the spec, so a restored forward gets it again.
/// An address family the host lacks (no IPv6) is skipped for the default
/// addresses and an error for explicit ones.
enum ForwardListenerBinder {
    struct BindError: Error, CustomStringConvertible {
        let description: String
        /// Set when the address and port were taken.
        var inUse: (address: String, port: Int)? = nil
    }

    static func bind(_ spec: inout ForwardSpec) throws -> [Forward.BoundListener] {
        let explicit = spec.addresses != ForwardAddParams.defaultAddresses
        var bound: [Forward.BoundListener] = []
        do {
            for (index, port) in spec.ports.enumerated() {
                var attempts = 0
                while true {
                    do {
                        let listeners = try bindAll(spec.addresses, port: port.local ?? 0, index: index, explicit: explicit)
                        spec.ports[index].local = listeners[0].port
                        bound += listeners
                        break
                    } catch let error as IOError where error.kind == .addressInUse && (port.local ?? 0) == 0 && attempts < 8 {
                        attempts += 1 // the free port of the first address was taken on another one
                    }
                }
            }
        } catch {
            for listener in bound { listener.listener.close() }
            throw error
        }
        return bound
    }

    private static func bindAll(_ addresses: [String], port: Int, index: Int, explicit: Bool) throws -> [Forward.BoundListener] {
        var result: [Forward.BoundListener] = []
        var chosen = port
        do {
            for address in addresses {
                let socketAddress: SocketAddress
                do {
                    socketAddress = try SocketAddress(host: address, port: UInt16(chosen))
                } catch {
                    throw BindError(description: "cannot listen on \(address): \(error.reason); give an IP address")
                }
                let listener: Listener
                do {
                    listener = try Listener.bind(to: socketAddress)
                } catch let error as IOError where !explicit && result.count > 0
                            && (error.errno == EADDRNOTAVAIL || error.errno == EAFNOSUPPORT) {
                    continue // no IPv6 loopback on this host
                } catch let error as IOError where error.kind == .addressInUse && port != 0 {
                    throw BindError(description: "local port \(port) on \(address) is in use; choose another local "
                                    + "port (or :REMOTE for a free one)", inUse: (address, port))
                }
                chosen = Int(listener.localAddress.port ?? 0)
                result.append(Forward.BoundListener(listener: listener, address: address, port: chosen, portIndex: index))
            }
        } catch {
            for listener in result { listener.listener.close() }
            throw error
        }
        return result
    }
}
