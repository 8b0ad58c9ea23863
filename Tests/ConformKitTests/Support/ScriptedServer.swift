import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// A hostile HTTP server for tests: a raw TCP listener on 127.0.0.1 (ephemeral port) that plays a script
/// of steps on each connection it accepts, byte for byte, with blocking sockets on a thread per connection.
///
///     let server = try ScriptedServer { connection in
///         [.readRequest, .write(ScriptedServer.response(status: "200 OK", body: "hi")), .close]
///     }
///     defer { server.stop() }
///     // http://127.0.0.1:\(server.port)/…  — server.connections, server.requests, server.requestHeads
///
/// Steps:
/// - `.readRequest`: read one request (head, then a body of its `Content-Length`); when the client closes
///   instead, the script ends there.
/// - `.write(String)` / `.writeBytes([UInt8])`: send these exact bytes.
/// - `.sleep(milliseconds:)`: wait.
/// - `.close`: close the connection (FIN). `.reset`: close with `SO_LINGER` 0, which sends a TCP RST.
/// - `.halfClose`: `shutdown(SHUT_WR)`: the client sees the end of the stream; the server can still read.
/// - `.readUntilClose`: read and discard until the client closes.
/// - `.hold`: keep the connection open, reading nothing, until ``stop()``.
/// - `.repeatUntilClosed([Step])`: play the steps again and again until a `.readRequest` meets the close.
///
/// A script that runs out of steps closes the connection. The closure receives the connection's index
/// (0 for the first accepted), so each connection can play a different part. Counters: ``connections``
/// accepted, ``requests`` read, and ``requestHeads`` as received (for asserting what the client sent).
final class ScriptedServer: Sendable {
    indirect enum Step: Sendable {
        case readRequest
        case write(String)
        case writeBytes([UInt8])
        case sleep(milliseconds: Int)
        case close
        case reset
        case halfClose
        case readUntilClose
        case hold
        case repeatUntilClosed([Step])
    }

    private struct State {
        var connections = 0
        var requests = 0
        var requestHeads: [String] = []
        var stopped = false
    }

    let port: Int
    private let listener: Int32
    private let script: @Sendable (Int) -> [Step]
    private let state = NIOLockedValueBox(State())
    private let sockets = OpenSockets()

    /// Connections accepted so far.
    var connections: Int { state.withLockedValue { $0.connections } }
    /// Requests read so far (by `.readRequest`).
    var requests: Int { state.withLockedValue { $0.requests } }
    /// The heads of the requests read, as received.
    var requestHeads: [String] { state.withLockedValue { $0.requestHeads } }

    init(script: @escaping @Sendable (_ connection: Int) -> [Step]) throws {
        self.script = script
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ScriptedServerError.socket(errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw ScriptedServerError.socket(errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The same steps on every connection.
    convenience init(steps: [Step]) throws {
        try self.init { _ in steps }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String = "/") -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    /// Stops accepting and closes every connection.
    func stop() {
        state.withLockedValue { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        sockets.shutDownAll()
    }

    /// A complete response: status line, the headers given, `Content-Length` unless `length` is `nil`.
    static func response(
        status: String = "200 OK", headers: [String] = [], body: String = "", length: Int? = -1
    ) -> String {
        var head = "HTTP/1.1 \(status)\r\n"
        for header in headers { head += "\(header)\r\n" }
        if let length { head += "Content-Length: \(length < 0 ? body.utf8.count : length)\r\n" }
        return head + "\r\n" + body
    }

    private func acceptLoop() {
        // Closed here, once accept has returned for good: a number closed under a blocked accept could be
        // reused by another test before the accept gave up.
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            guard sockets.add(client) else { break }
            let index = state.withLockedValue { state -> Int in
                state.connections += 1
                return state.connections - 1
            }
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let steps = script(index)
            let thread = Thread { [self] in
                var connection = Connection(socket: client)
                _ = play(steps, on: &connection)
                sockets.close(client)
            }
            thread.start()
        }
    }

    private struct Connection {
        var socket: Int32
        var buffer: [UInt8] = []
    }

    /// Plays the steps; `false` when the connection is already closed.
    private func play(_ steps: [Step], on connection: inout Connection) -> Bool {
        for step in steps {
            switch step {
            case .readRequest:
                guard let head = readRequest(&connection) else { return true }
                state.withLockedValue {
                    $0.requests += 1
                    $0.requestHeads.append(head)
                }
            case .write(let text):
                RawSocket.send(text, to: connection.socket)
            case .writeBytes(let bytes):
                RawSocket.send(bytes, to: connection.socket)
            case .sleep(let milliseconds):
                usleep(useconds_t(milliseconds * 1000))
            case .close:
                sockets.close(connection.socket)
                return false
            case .reset:
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(connection.socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
                sockets.close(connection.socket)
                return false
            case .halfClose:
                shutdown(connection.socket, Int32(SHUT_WR))
            case .readUntilClose:
                var scratch = [UInt8](repeating: 0, count: 4096)
                while recv(connection.socket, &scratch, scratch.count, 0) > 0 {}
            case .hold:
                while !state.withLockedValue({ $0.stopped }) { usleep(10_000) }
                return true
            case .repeatUntilClosed(let inner):
                while !state.withLockedValue({ $0.stopped }) {
                    let before = requests
                    guard play(inner, on: &connection) else { return false }
                    if requests == before { return true }  // the client closed
                }
            }
        }
        return true
    }

    /// One request: the head up to the blank line, then `Content-Length` bytes of body.
    private func readRequest(_ connection: inout Connection) -> String? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var scratch = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = connection.buffer.firstRange(of: separator) {
                let head = String(decoding: connection.buffer[..<end.lowerBound], as: UTF8.self)
                var length = 0
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
                while connection.buffer.count < end.upperBound + length {
                    let count = recv(connection.socket, &scratch, scratch.count, 0)
                    guard count > 0 else { return nil }
                    connection.buffer += scratch[..<count]
                }
                connection.buffer.removeFirst(end.upperBound + length)
                return head
            }
            let count = recv(connection.socket, &scratch, scratch.count, 0)
            guard count > 0 else { return nil }
            connection.buffer += scratch[..<count]
        }
    }
}

enum ScriptedServerError: Error {
    case socket(Int32)
}
