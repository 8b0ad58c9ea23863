import ConformSupport
import NIOCore

/// Reads one HTTP/1.1 response from the bytes a server sends, as they arrive.
///
/// Written for hostile servers rather than taken from a library: any three digits are a status (000–999,
/// so a server answering `HTTP/1.1 099` is reported, not a crash), anything else on the first line is
/// quoted back as it came, interim 1xx responses are skipped, and the body is framed by `Transfer-Encoding:
/// chunked`, `Content-Length`, or the close of the connection (RFC 9112 §6.3), capped at `bodyLimit`.
struct ResponseParser {
    enum Framing: Equatable {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    enum Progress {
        case needMore
        /// The response is complete; bytes past it are left in the buffer.
        case complete
    }

    struct Head {
        var status: Int
        var reason: String
        var version: (major: Int, minor: Int)
        var headers: [(name: String, value: String)]
        /// What framing and connection reuse need, noted while the headers are read.
        var contentLengths: [String] = []
        var lastTransferCoding: String?
        var connectionClose = false
        var connectionKeepAlive = false
    }

    enum ChunkState {
        case size
        case data(remaining: Int)
        case dataEnd
        /// The trailer section, with the bytes of its lines read so far.
        case trailers(bytes: Int)
    }

    /// The cap on what is not body: the head, the interim (1xx) heads together, the trailers together.
    /// The body has its own limit; without this one a server could keep conform reading forever.
    static let maxHeadBytes = 64 * 1024
    static let maxChunkLine = 4096

    let bodyLimit: Int
    /// HEAD requests and successful CONNECTs: the response ends with its head.
    let expectsNoBody: Bool
    /// The response answers a CONNECT: a 2xx turns the connection into a tunnel right after its head
    /// (RFC 9110 §9.3.6), so the connection stays open whatever the head says about keep-alive
    /// (`HTTP/1.0 200 Connection established` from an old proxy, or `Connection: close`).
    let answersConnect: Bool
    private(set) var head: Head?
    private(set) var framing: Framing = .none
    private(set) var body = ByteBuffer()
    /// Bytes of the response seen so far, interim responses included.
    private(set) var receivedBytes = 0
    var pending = ByteBuffer()
    var chunk = ChunkState.size
    private var complete = false
    /// Bytes of the interim (1xx) heads skipped so far.
    private var interimHeadBytes = 0
    /// How far the head now arriving has been searched for its status line and its end, so that a head that
    /// comes a byte at a time is scanned once, not once per read.
    private var headScan = HeadScan()
    /// Head bytes examined in all, for the test that holds the scan to one pass.
    private(set) var headBytesScanned = 0

    /// The search for the end of a head, resumed where the last read left it.
    struct HeadScan {
        enum State {
            case inLine
            /// Just after a line feed: another, or a carriage return and another, ends the head.
            case afterLineFeed
            case afterLineFeedAndReturn
        }

        /// Bytes from the start of the head searched so far.
        var offset = 0
        var state = State.inLine
        /// The status line, read as soon as its line feed came (offset of that line feed).
        var statusLine: (head: Head, end: Int)?
        /// The end of the head: where its header lines end, and its body starts (offsets).
        var end: (headerEnd: Int, bodyStart: Int)?
    }

    init(bodyLimit: Int, expectsNoBody: Bool, answersConnect: Bool = false) {
        self.bodyLimit = bodyLimit
        self.expectsNoBody = expectsNoBody
        self.answersConnect = answersConnect
    }

    /// Whether the connection may carry another request after this response, or, after a 2xx to CONNECT,
    /// the tunnel.
    var keepsAlive: Bool {
        guard let head, complete, framing != .untilClose, head.status != 101 else { return false }
        if answersConnect, (200..<300).contains(head.status) { return true }
        if head.connectionClose { return false }
        if head.version.major == 1, head.version.minor == 0 { return head.connectionKeepAlive }
        return true
    }

    /// Bytes that came after the end of the response.
    var leftover: Int { pending.readableBytes }

    /// Whether a reset of the connection ends the response as a close would: only a body delimited by the
    /// close (no `Content-Length`, not chunked; RFC 9112 §6.3 rule 8) of which some bytes came. Its framing
    /// cannot tell an early close from the end either way, and a server that closes with the request
    /// unread makes its kernel answer with a reset (tinyproxy's 407, simple HTTP/1.0 servers). A reset
    /// before any body byte, or inside a body of declared length or chunks, stays an error.
    var endsAtReset: Bool {
        !complete && head != nil && framing == .untilClose && body.readableBytes > 0
    }

    /// Takes the bytes in `buffer` (all of them).
    mutating func feed(_ buffer: inout ByteBuffer) throws(TransportFailure) -> Progress {
        receivedBytes += buffer.readableBytes
        if pending.readableBytes == 0 {
            pending = buffer
        } else {
            // Bytes already parsed are dropped first: a response whose reads each end inside a line keeps
            // a partial line for later every time, and appending behind the read bytes kept them all.
            if pending.readerIndex > 0 { pending.discardReadBytes() }
            pending.writeBuffer(&buffer)
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return try advance()
    }

    /// The connection closed: the response is complete only when its length is the close.
    mutating func finishAtClose() throws(TransportFailure) {
        if complete { return }
        guard head != nil else {
            if pending.readableBytes == 0 { throw .closedWithoutResponse }
            throw .malformedResponse(
                "the connection closed after \(pending.readableBytes) bytes, before the response head was complete: \(Self.quoted(firstLine(of: pending)))"
            )
        }
        switch framing {
        case .untilClose, .none:
            // `.none` never gets here: `advance` completes it with its head, and a head whose framing is
            // invalid has already failed the exchange. It is listed because the switch must be exhaustive.
            complete = true
        case .length(let expected):
            throw .truncatedBody(received: body.readableBytes, expected: expected)
        case .chunked:
            throw .truncatedBody(received: body.readableBytes, expected: nil)
        }
    }

    private mutating func advance() throws(TransportFailure) -> Progress {
        while true {
            if complete { return .complete }
            if head == nil {
                guard try parseHead() else { return .needMore }
                continue
            }
            switch framing {
            case .none:
                complete = true
            case .length(let expected):
                let take = min(expected - body.readableBytes, pending.readableBytes)
                try append(take)
                if body.readableBytes == expected { complete = true } else { return .needMore }
            case .untilClose:
                try append(pending.readableBytes)
                return .needMore
            case .chunked:
                guard try parseChunks() else { return .needMore }
                complete = true
            }
        }
    }

    mutating func append(_ count: Int) throws(TransportFailure) {
        guard count > 0 else { return }
        guard body.readableBytes + count <= bodyLimit else { throw .bodyTooLarge(limit: bodyLimit) }
        var slice = pending.readSlice(length: count)!
        if body.readableBytes == 0, body.capacity == 0 {
            body = ByteBuffer()
            body.reserveCapacity(min(bodyLimit, framingCapacity(count)))
        }
        body.writeBuffer(&slice)
    }

    private func framingCapacity(_ count: Int) -> Int {
        if case .length(let expected) = framing { return expected }
        return max(count, 1024)
    }

    /// Parses the head once it is complete; checks the status line as soon as it is there, so that a
    /// server sending garbage is named at once rather than at the timeout.
    private mutating func parseHead() throws(TransportFailure) -> Bool {
        let view = pending.readableBytesView
        let prefix = view.prefix(5)
        if !"HTTP/".utf8.starts(with: prefix) {
            throw .malformedResponse(
                "the response does not start with an HTTP/1.x status line: \(Self.quoted(firstLine(of: pending)))")
        }
        try scanHead(view)
        guard let (parsedStatus, statusEnd) = headScan.statusLine else {
            if view.count > Self.maxHeadBytes {
                throw .malformedResponse(
                    "the status line is longer than 64 KiB: \(Self.quoted(firstLine(of: pending)))")
            }
            return false
        }
        var status = parsedStatus
        let firstNewline = view.startIndex + statusEnd
        guard let offsets = headScan.end else {
            if view.count > Self.maxHeadBytes {
                throw .malformedResponse("the response head is longer than 64 KiB")
            }
            return false
        }
        let end = (headerEnd: view.startIndex + offsets.headerEnd, bodyStart: view.startIndex + offsets.bodyStart)
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(12)
        var lineStart = firstNewline + 1
        while lineStart < end.headerEnd {
            let lineEnd = view[lineStart..<end.headerEnd].firstIndex(of: UInt8(ascii: "\n")) ?? end.headerEnd
            var line = view[lineStart..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lineStart = lineEnd + 1
            if line.isEmpty { continue }
            if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
                // obs-fold (RFC 9112 §5.2): a continuation of the previous value.
                guard !headers.isEmpty else {
                    throw .malformedResponse("the first header line is a continuation: \(Self.quoted(line))")
                }
                headers[headers.count - 1].value += " " + Self.trimmed(line)
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy(RequestTarget.isTokenByte)
            else {
                throw .malformedResponse("a header line is not `name: value`: \(Self.quoted(line))")
            }
            let name = line[line.startIndex..<colon]
            let value = Self.trimmed(line[(colon + 1)...])
            Self.note(name: name, value: value, in: &status)
            headers.append((String(decoding: name, as: UTF8.self), value))
        }
        let headLength = end.bodyStart - view.startIndex
        // Checked on the complete head too: the same head must not pass in one read and fail in many.
        if headLength > Self.maxHeadBytes { throw .malformedResponse("the response head is longer than 64 KiB") }
        pending.moveReaderIndex(forwardBy: headLength)
        headScan = HeadScan()
        status.headers = headers
        if (100..<200).contains(status.status), status.status != 101 {
            // An interim response: the final one follows, unless the server sends 100 Continue forever.
            interimHeadBytes += headLength
            if interimHeadBytes > Self.maxHeadBytes {
                throw .malformedResponse("the interim (1xx) responses are longer than 64 KiB")
            }
            return true
        }
        head = status
        framing = try Self.framing(of: status, expectsNoBody: expectsNoBody)
        if case .length(let length) = framing, length > bodyLimit { throw .bodyTooLarge(limit: bodyLimit) }
        return true
    }

    private static func statusLine(_ raw: ByteBufferView.SubSequence) throws(TransportFailure) -> Head {
        var line = raw
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        let bytes = Array(line)
        func digit(_ index: Int) -> Int? {
            guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            return Int(bytes[index] - 0x30)
        }
        // HTTP/x.y SP 3DIGIT [SP reason]
        guard bytes.count >= 12, let major = digit(5), bytes[6] == UInt8(ascii: "."), let minor = digit(7),
            bytes[8] == UInt8(ascii: " "), let d1 = digit(9), let d2 = digit(10), let d3 = digit(11),
            bytes.count == 12 || bytes[12] == UInt8(ascii: " ")
        else {
            throw .malformedResponse("the status line is not `HTTP/1.1 NNN reason`: \(quoted(line))")
        }
        guard major == 1 else {
            throw .malformedResponse("the server answered in HTTP/\(major).\(minor), not HTTP/1.x: \(quoted(line))")
        }
        let reason = bytes.count > 13 ? String(decoding: bytes[13...], as: UTF8.self) : ""
        return Head(status: d1 * 100 + d2 * 10 + d3, reason: reason, version: (major, minor), headers: [])
    }

    /// Notes the headers that decide framing and reuse, comparing names as bytes (no strings made).
    private static func note(name: ByteBufferView.SubSequence, value: String, in head: inout Head) {
        switch name.count {
        case 14 where equalsIgnoringCase(name, "content-length"):
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                head.contentLengths.append(part.trimmingCharacters(in: .whitespaces))
            }
        case 17 where equalsIgnoringCase(name, "transfer-encoding"):
            head.lastTransferCoding =
                value.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        case 10 where equalsIgnoringCase(name, "connection"):
            for token in value.split(separator: ",") {
                switch token.trimmingCharacters(in: .whitespaces).lowercased() {
                case "close": head.connectionClose = true
                case "keep-alive": head.connectionKeepAlive = true
                default: break
                }
            }
        default:
            break
        }
    }

    /// `bytes` equals the lower-case ASCII `name`, ignoring case.
    private static func equalsIgnoringCase(_ bytes: ByteBufferView.SubSequence, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { expected in
            zip(bytes, expected).allSatisfy { ASCII.lowercased($0) == $1 }
        }
    }

    /// RFC 9112 §6.3, in order: no body for HEAD, 1xx, 204 and 304; chunked when it is the last transfer
    /// coding; otherwise the length; otherwise until the connection closes.
    private static func framing(of head: Head, expectsNoBody: Bool) throws(TransportFailure) -> Framing {
        if expectsNoBody || head.status == 204 || head.status == 304 || head.status == 101 { return .none }
        if let coding = head.lastTransferCoding { return coding == "chunked" ? .chunked : .untilClose }
        let lengths = head.contentLengths
        guard let first = lengths.first else { return .untilClose }
        guard first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), first.utf8.count <= 15, let length = Int(first),
            lengths.allSatisfy({ $0 == first })
        else {
            throw .malformedResponse(
                "invalid Content-Length: \(quoted(Array(lengths.joined(separator: ", ").utf8)[...]))")
        }
        return .length(length)
    }

    /// Searches the bytes that came since the last read: the status line's line feed (the status line is
    /// read then, so that a server sending garbage is named at once), then a line feed followed by an empty
    /// line (CRLF or a bare LF). Each byte of a head is examined once.
    private mutating func scanHead(_ view: ByteBufferView) throws(TransportFailure) {
        guard headScan.end == nil else { return }
        var index = view.startIndex + headScan.offset
        var state = headScan.state
        defer {
            headScan.offset = index - view.startIndex
            headScan.state = state
        }
        while index < view.endIndex {
            let byte = view[index]
            index += 1
            headBytesScanned += 1
            if headScan.statusLine == nil {
                guard byte == UInt8(ascii: "\n") else { continue }
                let end = index - 1 - view.startIndex
                headScan.statusLine = (try Self.statusLine(view[view.startIndex..<(index - 1)]), end)
                state = .afterLineFeed
                continue
            }
            switch (state, byte) {
            case (.afterLineFeed, UInt8(ascii: "\n")):
                headScan.end = (index - 1 - view.startIndex, index - view.startIndex)
                return
            case (.afterLineFeedAndReturn, UInt8(ascii: "\n")):
                headScan.end = (index - 2 - view.startIndex, index - view.startIndex)
                return
            case (.afterLineFeed, UInt8(ascii: "\r")):
                state = .afterLineFeedAndReturn
            case (_, UInt8(ascii: "\n")):
                state = .afterLineFeed
            default:
                state = .inLine
            }
        }
    }

    private func firstLine(of buffer: ByteBuffer) -> ByteBufferView.SubSequence {
        let view = buffer.readableBytesView
        let end = view.firstIndex(of: UInt8(ascii: "\n")) ?? view.endIndex
        var line = view[view.startIndex..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return line
    }

    private static func trimmed<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> String {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var slice = bytes.drop(while: isSpace)
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
