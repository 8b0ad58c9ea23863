import ConformJSON
import Foundation

/// A JWS compact serialization (RFC 7515 §7.1, RFC 7519) read strictly and in bounded time: three parts of
/// unpadded base64url, a JOSE header and claims that are JSON objects.
///
/// A token longer than ``maximumBytes`` is refused before any decoding; the JSON reader bounds nesting
/// (256 levels), so the whole parse is linear in a size that is capped. The vendor's own sample pads its
/// signature with `=`: the parts are read anyway and the padding is reported (``paddedParts``), since a
/// strict JWS library refuses such a token.
struct JSONWebToken: Sendable {
    /// Tokens are small (a few hundred bytes to a few KiB); a longer one is refused, not decoded.
    static let maximumBytes = 16 << 10

    var header: [String: JSONValue]
    var claims: [String: JSONValue]
    /// The bytes the signature covers: `base64url(header) "." base64url(claims)`, as sent.
    var signingInput: Data
    var signature: Data
    /// Parts (1 to 3) that ended in `=` padding, which RFC 7515 §2 leaves out.
    var paddedParts: [Int]

    /// Why a string is not a readable JWT, in words for a message.
    enum DecodeError: Error, Equatable, CustomStringConvertible {
        case tooLong(Int)
        case parts(Int)
        case notBase64URL(part: Int)
        case notJSONObject(part: Int)
        case noAlgorithm

        var description: String {
            switch self {
            case .tooLong(let count):
                "a token of \(count) bytes, longer than the \(JSONWebToken.maximumBytes) bytes conform decodes"
            case .parts(let count): "\(count) part\(count == 1 ? "" : "s") (a JWS has 3, separated by '.')"
            case .notBase64URL(let part): "part \(part) is not base64url"
            case .notJSONObject(let part): "part \(part) (the \(part == 1 ? "header" : "claims")) is not a JSON object"
            case .noAlgorithm: "a header without a string \"alg\""
            }
        }
    }

    static func decode(_ token: String) throws(DecodeError) -> JSONWebToken {
        let bytes = Array(token.utf8)
        guard bytes.count <= maximumBytes else { throw .tooLong(bytes.count) }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .parts(parts.count) }
        var decoded: [Data] = []
        var padded: [Int] = []
        for (index, part) in parts.enumerated() {
            var unpadded = part
            while unpadded.last == UInt8(ascii: "=") { unpadded = unpadded.dropLast() }
            if unpadded.count != part.count { padded.append(index + 1) }
            guard part.count - unpadded.count <= 2, !unpadded.isEmpty || index == 2,
                let data = Base64URL.decode(unpadded)
            else { throw .notBase64URL(part: index + 1) }
            decoded.append(data)
        }
        guard case .object(let header)? = JSONValue.decode(decoded[0]) else { throw .notJSONObject(part: 1) }
        guard case .string(let alg)? = header["alg"], !alg.isEmpty else { throw .noAlgorithm }
        guard case .object(let claims)? = JSONValue.decode(decoded[1]) else { throw .notJSONObject(part: 2) }
        let input = Data(bytes[0..<(parts[0].count + 1 + parts[1].count)])
        return JSONWebToken(
            header: header, claims: claims, signingInput: input, signature: decoded[2], paddedParts: padded)
    }

    /// The header's `alg` (present: ``decode(_:)`` requires it).
    var algorithm: String {
        if case .string(let alg)? = header["alg"] { return alg }
        return ""
    }

    /// A string member of the header: `kid`, `typ`.
    func headerString(_ name: String) -> String? {
        if case .string(let value)? = header[name] { return value }
        return nil
    }

    /// A NumericDate claim (RFC 7519 §2): a JSON number of seconds since the epoch.
    func numericDate(_ name: String) -> Double? {
        if case .number(let value)? = claims[name], value.isFinite { return value }
        return nil
    }
}

/// Unpadded base64url (RFC 4648 §5), strict: only its 64 characters, and no length that cannot occur.
enum Base64URL {
    static func decode(_ part: ArraySlice<UInt8>) -> Data? {
        guard part.count % 4 != 1 else { return nil }
        var output = Data()
        output.reserveCapacity(part.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in part {
            guard let value = sextet(byte) else { return nil }
            buffer = (buffer << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        // The bits left over must be zero (RFC 4648 §3.5): otherwise two texts decode alike.
        guard buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }

    static func decode(_ text: String) -> Data? { decode(ArraySlice(text.utf8)) }

    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
