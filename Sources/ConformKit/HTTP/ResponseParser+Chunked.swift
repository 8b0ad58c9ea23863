import NIOCore

/// Chunked bodies (RFC 9112 §7.1) and the quoting of what a server sent, for messages.
extension ResponseParser {
    /// Chunked body (RFC 9112 §7.1); `true` once the last chunk and the trailers are read.
    mutating func parseChunks() throws(TransportFailure) -> Bool {
        while true {
            switch chunk {
            case .size:
                guard let line = try readLine() else { return false }
                let digits = line.prefix { $0 != UInt8(ascii: ";") }.filter { $0 != UInt8(ascii: " ") && $0 != 9 }
                guard !digits.isEmpty, digits.count <= 15,
                    let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
                else {
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

    /// One line without its CRLF, consumed; `nil` until it is complete.
    private mutating func readLine() throws(TransportFailure) -> [UInt8]? {
        let view = pending.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > Self.maxChunkLine {
                throw .malformedResponse("a chunk line is longer than 4 KiB: \(Self.quoted(view.prefix(100)))")
            }
            return nil
        }
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
