import Foundation

/// How conform writes durations in milliseconds.
enum Milliseconds {
    /// For people: at most one decimal, no trailing zero (`2000`, `2504.3`): console, messages, HTML.
    static func text(_ milliseconds: Double) -> String {
        JSONValue.format((milliseconds * 10).rounded() / 10)
    }

    /// For report properties: two decimals, so that sub-millisecond differences show (`100.35`).
    static func property(_ milliseconds: Double) -> String {
        String(format: "%.2f", milliseconds)
    }

    /// Samples a second for people: whole numbers from 10 up (`3040/s`), one decimal below (`0.4/s`), so that
    /// a slow case's rate does not read as zero; `nil` before any time has passed.
    static func rate(samples: Int, over milliseconds: Double) -> String? {
        guard milliseconds > 0 else { return nil }
        let rate = Double(samples) * 1000 / milliseconds
        let shown = rate >= 10 ? rate.rounded() : (rate * 10).rounded() / 10
        return "\(JSONValue.format(shown))/s"
    }
}

/// Byte classes of URLs and tokens (RFC 3986), for code that works on UTF-8 bytes.
enum ASCII {
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Header names and media types compare without case (RFC 9110); they are ASCII.
    static func equalsIgnoringCase(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count
            && zip(left.utf8, right.utf8).allSatisfy { lowercased($0) == lowercased($1) }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// RFC 3986 unreserved characters: what a query value keeps unencoded.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "~")
    }
}
