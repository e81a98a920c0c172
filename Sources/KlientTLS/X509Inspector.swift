internal import COpenSSL
import Glibc

/// Reads the parts of an X509 certificate that error messages and the
/// handshake summary need. Borrowed pointers only: nothing is freed here
/// except what these functions allocate themselves.
enum X509Inspector {
    /// Subject attributes of a given NID (e.g. NID_commonName), in order.
    static func nameEntries(_ name: OpaquePointer?, nid: Int32) -> [String] {
        guard let name else { return [] }
        var values: [String] = []
        var index: Int32 = -1
        while true {
            index = X509_NAME_get_index_by_NID(name, nid, index)
            if index < 0 { break }
            guard let entry = X509_NAME_get_entry(name, index),
                  let data = X509_NAME_ENTRY_get_data(entry) else { continue }
            values.append(string(fromASN1: data))
        }
        return values
    }

    static func commonName(_ cert: OpaquePointer) -> String? {
        nameEntries(X509_get_subject_name(cert), nid: NID_commonName).first
    }

    static func organizations(_ cert: OpaquePointer) -> [String] {
        nameEntries(X509_get_subject_name(cert), nid: NID_organizationName)
    }

    /// A one-line form of an X509_NAME such as "CN=klient CA, O=system:masters".
    static func oneLine(_ name: OpaquePointer?) -> String {
        guard let name else { return "?" }
        var parts: [String] = []
        for i in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, i),
                  let data = X509_NAME_ENTRY_get_data(entry) else { continue }
            let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
            let key = OBJ_nid2sn(nid).map { String(cString: $0) } ?? "?"
            parts.append("\(key)=\(string(fromASN1: data))")
        }
        return parts.joined(separator: ", ")
    }

    static func subject(_ cert: OpaquePointer) -> String { oneLine(X509_get_subject_name(cert)) }
    static func issuer(_ cert: OpaquePointer) -> String { oneLine(X509_get_issuer_name(cert)) }

    /// DNS names and IP addresses from the subjectAltName extension, in order.
    static func subjectAltNames(_ cert: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(cert, NID_subject_alt_name, nil, nil) else { return [] }
        let stack = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(stack) }
        var names: [String] = []
        for i in 0..<OPENSSL_sk_num(stack) {
            guard let item = OPENSSL_sk_value(stack, i) else { continue }
            let general = item.assumingMemoryBound(to: GENERAL_NAME.self).pointee
            switch general.type {
            case GEN_DNS:
                if let s = general.d.dNSName { names.append(string(fromASN1: s)) }
            case GEN_IPADD:
                if let s = general.d.iPAddress { names.append(ipString(s)) }
            default:
                continue
            }
        }
        return names
    }

    static func notBefore(_ cert: OpaquePointer) -> String { timeString(X509_get0_notBefore(cert)) }
    static func notAfter(_ cert: OpaquePointer) -> String { timeString(X509_get0_notAfter(cert)) }

    /// ISO 8601 UTC ("2024-05-01T12:00:00Z").
    static func timeString(_ time: UnsafePointer<ASN1_TIME>?) -> String {
        guard let time else { return "?" }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return "?" }
        func pad(_ v: Int32, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
    }

    static func string(fromASN1 s: UnsafePointer<ASN1_STRING>) -> String {
        let length = Int(ASN1_STRING_length(s))
        guard length > 0, let data = ASN1_STRING_get0_data(s) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: length), as: UTF8.self)
    }

    static func string(fromASN1 s: UnsafeMutablePointer<ASN1_STRING>) -> String {
        string(fromASN1: UnsafePointer(s))
    }

    private static func ipString(_ s: UnsafeMutablePointer<ASN1_STRING>) -> String {
        let length = Int(ASN1_STRING_length(s))
        guard let data = ASN1_STRING_get0_data(s) else { return "?" }
        let family: Int32
        switch length {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return "?"
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, data, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
