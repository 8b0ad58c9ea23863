import ConformSupport
import Foundation

/// RFC 6749's encodings for client credentials and form bodies.
///
/// Appendix B: a form body is `application/x-www-form-urlencoded` per the HTML algorithm: UTF-8, ASCII
/// letters, digits and `*-._` as they are, space as `+`, every other byte as `%XX`. §2.3.1: for HTTP Basic
/// authentication the client id and secret are each encoded that way first, then joined with `:` and
/// Base64-encoded, so a secret holding `:` or non-ASCII characters survives.
package enum ClientAuthentication {
    /// The value after `Basic ` in the `Authorization` header.
    package static func basicCredentials(id: String, secret: String) -> String {
        Data("\(formEncoded(id)):\(formEncoded(secret))".utf8).base64EncodedString()
    }

    /// `name=value&…`, each part form-encoded.
    package static func formEncoded(_ fields: [(String, String)]) -> String {
        fields.map { "\(formEncoded($0.0))=\(formEncoded($0.1))" }.joined(separator: "&")
    }

    static func formEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "):
                output.append(UInt8(ascii: "+"))
            case UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                output.append(byte)
            case _ where ASCII.isAlphanumeric(byte):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
