import NIOCore

/// Chunked bodies (RFC 9112 §7.1) and the quoting of what a server sent, for messages.
extension ResponseParser {
    /// Chunked body (RFC 9112 §7.1); `true` once the last chunk and the trailers are read.
    mutating func parseChunks() throws(TransportFailure) -> Bool {
        while true {
            switch chunk {
            case .size:
                guard let line = try readLine() else { return false }
                guard let size = Self.chunkSize(line) else {
                    throw .malformedResponse("invalid chunk size line: \(Self.quoted(line[...]))")
                }
                chunk = size == 0 ? .trailers(bytes: 0) : .data(remaining: size)
            case .data(let remaining):
                let take = min(remaining, pending.readableBytes)
                try append(take)
                if take < remaining {
                    chunk = .data(remaining: remaining - take)
                    return false
                }
                chunk = .dataEnd
            case .dataEnd:
                guard let line = try readLine() else { return false }
                guard line.isEmpty else {
                    throw .malformedResponse("a chunk is longer than its size line says: \(Self.quoted(line[...]))")
                }
                chunk = .size
            case .trailers(let bytes):
                let start = pending.readerIndex
                guard let line = try readLine() else { return false }
                if line.isEmpty { return true }
                let total = bytes + pending.readerIndex - start
                guard total <= Self.maxHeadBytes else {
                    throw .malformedResponse("the trailers are longer than 64 KiB")
                }
                chunk = .trailers(bytes: total)
            }
        }
    }

    /// The size of a chunk size line, `chunk-size [ BWS ";" chunk-ext ]` (RFC 9112 §7.1): hex digits only,
    /// whitespace only before the `;` of an extension, so that `-5`, `+5` and `1 0` are refused rather
    /// than read as some length. At most 15 digits after any leading zeros: the size fits an `Int` with
    /// room for the body read so far.
    static func chunkSize(_ line: [UInt8]) -> Int? {
        var digits = line[...]
        if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) {
            digits = line[..<semicolon]
            while let last = digits.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                digits = digits.dropLast()
            }
        }
        guard !digits.isEmpty, digits.drop(while: { $0 == UInt8(ascii: "0") }).count <= 15 else { return nil }
        var size = 0
        for byte in digits {
            guard let value = hexValue(byte) else { return nil }
            size = size << 4 | value
        }
        return size
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    /// One line without its CRLF, consumed; `nil` until it is complete. The 4 KiB cap holds for a line that
    /// came whole as for one still coming, so that the same bytes never pass in one read and fail in many.
    private mutating func readLine() throws(TransportFailure) -> [UInt8]? {
        let view = pending.readableBytesView
        let newline = view.firstIndex(of: UInt8(ascii: "\n"))
        if (newline ?? view.endIndex) - view.startIndex > Self.maxChunkLine {
            throw .malformedResponse("a chunk line is longer than 4 KiB: \(Self.quoted(view.prefix(100)))")
        }
        guard let newline else { return nil }
        var line = Array(view[view.startIndex..<newline])
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        pending.moveReaderIndex(forwardBy: newline + 1 - view.startIndex)
        return line
    }

    /// The bytes as a quoted string: printable ASCII as is, the rest escaped (`\r`, `\x00`), cut at 100
    /// characters.
    static func quoted<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var text = "\""
        var count = 0
        for byte in bytes {
            if count >= 100 {
                text += "…"
                break
            }
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\t"): text += "\\t"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
            count += 1
        }
        return text + "\""
    }
}
