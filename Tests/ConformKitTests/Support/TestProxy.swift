import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny forwarding HTTP proxy for tests, on 127.0.0.1 (ephemeral port): `CONNECT host:port` opens a
/// tunnel with `connectAnswer` (or is refused with `refuseConnect`), an absolute-form request (`GET http://host:port/…`) is
/// forwarded as it came (or answered by the proxy itself with `answerRequests`). It relays bytes both ways until either side closes, and counts what passed:
/// ``tunnels``, ``forwarded`` requests, and every request head it read (``heads``, with any
/// `Proxy-Authorization`, so that a test can check the credentials arrived here and nowhere else).
final class TestProxy: Sendable {
    private struct State {
        var tunnels = 0
        var forwarded = 0
        var heads: [String] = []
    }

    let port: Int
    /// Answered to every CONNECT instead of a tunnel, e.g. `407 Proxy Authentication Required`.
    let refuseConnect: String?
    /// The head that opens a tunnel: by default `HTTP/1.1 200 Connection established`; an old proxy may say
    /// `HTTP/1.0 200 …` or add `Connection: close`, and the tunnel is open all the same (RFC 9110 §9.3.6).
    let connectAnswer: String
    /// Sent back to every absolute-form request instead of forwarding it, as they are; then the connection is
    /// reset, as the kernel does when a proxy closes with the request's body unread (tinyproxy's 407).
    let answerRequests: String?
    private let listener: Int32
    private let state = NIOLockedValueBox(State())
    private let sockets = OpenSockets()

    var tunnels: Int { state.withLockedValue { $0.tunnels } }
    var forwarded: Int { state.withLockedValue { $0.forwarded } }
    var heads: [String] { state.withLockedValue { $0.heads } }

    /// `http://127.0.0.1:PORT`, or with credentials `http://user:password@127.0.0.1:PORT`.
    func url(credentials: String? = nil) -> String {
        "http://\(credentials.map { "\($0)@" } ?? "")127.0.0.1:\(port)"
    }

    init(
        refuseConnect: String? = nil, connectAnswer: String = "HTTP/1.1 200 Connection established\r\n\r\n",
        answerRequests: String? = nil
    ) throws {
        self.refuseConnect = refuseConnect
        self.connectAnswer = connectAnswer
        self.answerRequests = answerRequests
        let (listener, port) = try RawSocket.listen()
        self.listener = listener
        self.port = port
        Thread { [self] in acceptLoop() }.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        sockets.shutDownAll()
    }

    private func acceptLoop() {
        defer { close(listener) }  // only once accept has given up, so the number cannot be reused under it
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0, sockets.add(client) else { return }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        var buffer: [UInt8] = []
        guard let end = RawSocket.readHead(client, into: &buffer) else {
            sockets.close(client)
            return
        }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        let requestLine = (head.components(separatedBy: "\r\n").first ?? "").split(separator: " ")
        guard requestLine.count == 3 else {
            sockets.close(client)
            return
        }
        let isConnect = requestLine[0] == "CONNECT"
        state.withLockedValue {
            $0.heads.append(head)
            if isConnect { $0.tunnels += 1 } else { $0.forwarded += 1 }
        }
        let authority: Substring
        if isConnect {
            if let refuseConnect {
                RawSocket.send(
                    "HTTP/1.1 \(refuseConnect)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", to: client)
                sockets.close(client)
                return
            }
            authority = requestLine[1]
        } else {
            if let answerRequests {
                RawSocket.send(answerRequests, to: client)
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
                sockets.close(client)
                return
            }
            guard let url = URLComponents(string: String(requestLine[1])), let host = url.host, let port = url.port
            else {
                sockets.close(client)
                return
            }
            authority = "\(host):\(port)"
        }
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]),
            let upstream = RawSocket.connect(port: port)
        else {
            RawSocket.send("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", to: client)
            sockets.close(client)
            return
        }
        guard sockets.add(upstream) else {
            sockets.close(client)
            return
        }
        // Both directions relay until their source closes; the second to finish closes both sockets.
        let finished = NIOLockedValueBox(0)
        let finish: @Sendable () -> Void = { [sockets] in
            if finished.withLockedValue({ count -> Int in
                count += 1
                return count
            }) == 2 {
                sockets.close(upstream)
                sockets.close(client)
            }
        }
        if isConnect {
            RawSocket.send(connectAnswer, to: client)
            buffer.removeFirst(end + 4)
        }
        Thread {
            RawSocket.relay(from: upstream, to: client)
            finish()
        }.start()
        if isConnect {
            if !buffer.isEmpty { RawSocket.send(buffer, to: upstream) }
            RawSocket.relay(from: client, to: upstream)
        } else {
            forwardRequests(from: client, to: upstream, buffer: &buffer, firstHeadEnd: end)
        }
        finish()
    }

    /// Absolute-form requests on a kept-alive connection: each head is counted, then sent with its body.
    private func forwardRequests(from client: Int32, to upstream: Int32, buffer: inout [UInt8], firstHeadEnd: Int) {
        var headEnd: Int? = firstHeadEnd
        var first = true
        while let end = headEnd {
            let head = String(decoding: buffer[..<end], as: UTF8.self)
            if !first {
                state.withLockedValue {
                    $0.heads.append(head)
                    $0.forwarded += 1
                }
            }
            first = false
            let length = head.components(separatedBy: "\r\n").compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
            let total = end + 4 + length
            var scratch = [UInt8](repeating: 0, count: 16384)
            while buffer.count < total {
                let count = recv(client, &scratch, scratch.count, 0)
                guard count > 0 else {
                    shutdown(upstream, Int32(SHUT_WR))
                    return
                }
                buffer += scratch[..<count]
            }
            RawSocket.send(Array(buffer[..<total]), to: upstream)
            buffer.removeFirst(total)
            headEnd = RawSocket.readHead(client, into: &buffer)
        }
        shutdown(upstream, Int32(SHUT_WR))
    }
}

/// Blocking socket helpers for the test servers.
enum RawSocket {
    static func listen(backlog: Int32 = 64) throws -> (Int32, Int) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard listener >= 0, bound == 0, Glibc.listen(listener, backlog) == 0 else {
            throw ScriptedServerError.socket(errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        return (listener, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A connected socket; `nonBlocking` starts the connect and returns at once.
    static func connect(port: Int, nonBlocking: Bool = false) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0, !(nonBlocking && errno == EINPROGRESS) {
            close(fd)
            return nil
        }
        return fd
    }

    /// Reads until the end of a head; the index of its blank line's CRLFCRLF in `buffer`.
    static func readHead(_ socket: Int32, into buffer: inout [UInt8]) -> Int? {
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            if let range = buffer.firstRange(of: [13, 10, 13, 10]) { return range.lowerBound }
            let count = recv(socket, &scratch, scratch.count, 0)
            guard count > 0 else { return nil }
            buffer += scratch[..<count]
        }
    }

    static func send(_ text: String, to socket: Int32) {
        send(Array(text.utf8), to: socket)
    }

    static func send(_ bytes: [UInt8], to socket: Int32) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    /// Copies until `source` closes, then closes `destination`'s sending side.
    static func relay(from source: Int32, to destination: Int32) {
        var scratch = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = recv(source, &scratch, scratch.count, 0)
            guard count > 0 else { break }
            send(Array(scratch[..<count]), to: destination)
        }
        shutdown(destination, Int32(SHUT_WR))
    }
}
