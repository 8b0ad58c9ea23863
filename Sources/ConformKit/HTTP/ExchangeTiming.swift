/// Where the time of one exchange went, measured with a monotonic clock (`ContinuousClock`).
///
/// Instants are offsets from the moment conform handed the request to the HTTP client; a phase is `nil`
/// when the exchange ended before it (a refused connection has no first byte).
public struct ExchangeTiming: Sendable, Equatable {
    /// How the request got its connection.
    public enum Connection: Sendable, Equatable {
        /// Opened for this request: name resolution, TCP connect and TLS handshake took `setup`.
        case new(setup: Duration)
        /// An idle keep-alive connection: the set-up phase was skipped.
        case reused
        /// The client did not say (the request failed before reaching a connection).
        case unknown
    }

    public var connection: Connection
    /// A connection took the request: waiting for the pool plus, for a new connection, its set-up.
    public var connectionReady: Duration?
    /// Request head written to the socket.
    public var requestHeadSent: Duration?
    /// Request head and body written.
    public var requestSent: Duration?
    /// Response head parsed: time to first byte.
    public var firstByte: Duration?
    /// Last body byte read.
    public var bodyComplete: Duration?
    /// The whole exchange, as the latency checks see it.
    public var total: Duration

    public init(
        connection: Connection = .unknown, connectionReady: Duration? = nil, requestHeadSent: Duration? = nil,
        requestSent: Duration? = nil, firstByte: Duration? = nil, bodyComplete: Duration? = nil, total: Duration
    ) {
        self.connection = connection
        self.connectionReady = connectionReady
        self.requestHeadSent = requestHeadSent
        self.requestSent = requestSent
        self.firstByte = firstByte
        self.bodyComplete = bodyComplete
        self.total = total
    }

    /// When the endpoint's part began: the request head reached the socket, less the set-up of a new
    /// connection. Before it, the time is conform's and the client's own: building and encoding the
    /// request, waiting for a free pooled connection.
    public var endpointStart: Duration {
        guard let sent = requestHeadSent ?? connectionReady else { return .zero }
        if case .new(let setup) = connection { return max(.zero, sent - setup) }
        return sent
    }

    /// The endpoint's latency, which budgets, percentiles and comparisons use: connection set-up (when
    /// new), sending, the server's time and the download; not conform's own queueing.
    public var latency: Duration { total - endpointStart }

    /// The phases in milliseconds, named as in reports (`<case>.<name>`); absent phases are left out.
    ///
    /// - `connect_ms`: set-up of a new connection (DNS, TCP, TLS together); absent for a reused one.
    /// - `send_ms`: writing the request body after its head.
    /// - `server_ms`: from the request written to the first response byte.
    /// - `ttfb_ms`: time to first byte, from the start of the endpoint's part.
    /// - `download_ms`: from the first to the last response byte.
    /// - `latency_ms`: the endpoint's part, from its start to the last byte.
    /// - `queue_ms`: before the endpoint's part: conform building the request, the client finding a
    ///   connection and encoding the request.
    /// - `total_ms`: the whole exchange as conform waited for it (`queue_ms` + `latency_ms`).
    public var metrics: [(name: String, milliseconds: Double)] {
        var metrics: [(String, Double)] = []
        let start = endpointStart
        if case .new(let duration) = connection { metrics.append(("connect_ms", duration.milliseconds)) }
        // The client may deliver the response before it reports the request body written; head and a small
        // body leave in one flush, so the head's instant stands in. Likewise the server phase is never negative.
        let requestSent = self.requestSent ?? requestHeadSent
        if let requestHeadSent, let requestSent {
            metrics.append(("send_ms", max(0, (requestSent - requestHeadSent).milliseconds)))
        }
        if let requestSent, let firstByte {
            metrics.append(("server_ms", max(0, (firstByte - requestSent).milliseconds)))
        }
        if let firstByte { metrics.append(("ttfb_ms", (firstByte - start).milliseconds)) }
        if let firstByte, let bodyComplete { metrics.append(("download_ms", (bodyComplete - firstByte).milliseconds)) }
        metrics.append(("latency_ms", latency.milliseconds))
        metrics.append(("queue_ms", start.milliseconds))
        metrics.append(("total_ms", total.milliseconds))
        return metrics
    }

    /// "new connection" or "reused connection (no set-up)", for the console.
    public var connectionDescription: String {
        switch connection {
        case .new: "new connection"
        case .reused: "reused connection (set-up skipped)"
        case .unknown: "connection unknown"
        }
    }
}

extension Duration {
    /// The duration in milliseconds, as a `Double`.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
