import Logging
import NIOConcurrencyHelpers

/// AsyncHTTPClient has no per-request connection timing API; its connection pool does tell its loggers
/// when it opens a connection ("Opening fresh connection"), when the connection is ready ("successfully
/// created connection"), and which connection a request was written to ("Request was scheduled on
/// connection", with `ahc-connection-id`). These handlers turn those events into data.
///
/// The set-up time covers name resolution, TCP connect and, for https, the TLS handshake together:
/// the client does not tell them apart.
final class ConnectionLedger: Sendable {
    struct Connection {
        var opened: ContinuousClock.Instant?
        var ready: ContinuousClock.Instant?
        var requests = 0
    }

    private let connections = NIOLockedValueBox<[String: Connection]>([:])

    func opened(_ id: String) {
        let now = ContinuousClock.now
        connections.withLockedValue { $0[id, default: Connection()].opened = now }
    }

    func ready(_ id: String) {
        let now = ContinuousClock.now
        connections.withLockedValue { $0[id, default: Connection()].ready = now }
    }

    func closed(_ id: String) {
        connections.withLockedValue { $0[id] = nil }
    }

    /// Counts a request on the connection; a connection's first request paid for its set-up.
    func claim(_ id: String) -> ExchangeTiming.Connection {
        connections.withLockedValue { connections in
            var connection = connections[id, default: Connection()]
            connection.requests += 1
            connections[id] = connection
            guard connection.requests == 1 else { return .reused }
            guard let opened = connection.opened, let ready = connection.ready else { return .unknown }
            return .new(setup: ready - opened)
        }
    }

    /// The background logger given to the client: it records the pool's connection events.
    var backgroundLogger: Logger {
        Logger(label: "conform.http.pool") { _ in PoolEventHandler(ledger: self) }
    }
}

/// Receives the pool's trace events about connections.
private struct PoolEventHandler: EventLogHandler {
    let ledger: ConnectionLedger
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    func log(event: LogEvent) {
        guard let id = event.metadata?["ahc-connection-id"].map({ "\($0)" }) else { return }
        switch event.message.description {
        case "Opening fresh connection": ledger.opened(id)
        case "successfully created connection": ledger.ready(id)
        case "close connection", "connection closed": ledger.closed(id)
        default: break
        }
    }
}

/// Receives one request's debug events: which connection carried it, and when.
struct RequestEventHandler: EventLogHandler {
    let onScheduled: @Sendable (_ connectionID: String) -> Void
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .debug

    func log(event: LogEvent) {
        guard event.message.description == "Request was scheduled on connection",
            let id = (event.metadata?["ahc-connection-id"] ?? metadata["ahc-connection-id"]).map({ "\($0)" })
        else { return }
        onScheduled(id)
    }
}

/// A handler that only listens for events: it keeps its metadata as swift-log requires, nothing else.
protocol EventLogHandler: LogHandler {}

extension EventLogHandler {
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
