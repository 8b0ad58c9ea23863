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
    /// Request head and body written.
    public var requestSent: Duration?
    /// Response head parsed: time to first byte.
    public var firstByte: Duration?
    /// Last body byte read.
    public var bodyComplete: Duration?
    /// The whole exchange, as the latency checks see it.
    public var total: Duration

    public init(
        connection: Connection = .unknown, connectionReady: Duration? = nil, requestSent: Duration? = nil,
        firstByte: Duration? = nil, bodyComplete: Duration? = nil, total: Duration
    ) {
        self.connection = connection
        self.connectionReady = connectionReady
        self.requestSent = requestSent
        self.firstByte = firstByte
        self.bodyComplete = bodyComplete
        self.total = total
    }

    /// The phases in milliseconds, named as in reports (`<case>.<name>`); absent phases are left out.
    ///
    /// - `connect_ms`: set-up of a new connection (DNS, TCP, TLS); absent for a reused one.
    /// - `queue_ms`: waiting for a free connection in the pool, set-up excluded.
    /// - `send_ms`: writing the request once a connection had it.
    /// - `server_ms`: from the request written to the first response byte.
    /// - `ttfb_ms`: from the start to the first response byte.
    /// - `download_ms`: from the first to the last response byte.
    /// - `total_ms`: the whole exchange.
    public var metrics: [(name: String, milliseconds: Double)] {
        var metrics: [(String, Double)] = []
        var setup: Duration = .zero
        if case .new(let duration) = connection {
            setup = duration
            metrics.append(("connect_ms", duration.milliseconds))
        }
        if let connectionReady {
            metrics.append(("queue_ms", max(0, (connectionReady - setup).milliseconds)))
            if let requestSent { metrics.append(("send_ms", (requestSent - connectionReady).milliseconds)) }
        }
        // The client may report the request written after it read the response head in the same event-loop
        // tick (loopback): the server phase is then 0, never negative.
        if let requestSent, let firstByte {
            metrics.append(("server_ms", max(0, (firstByte - requestSent).milliseconds)))
        }
        if let firstByte { metrics.append(("ttfb_ms", firstByte.milliseconds)) }
        if let firstByte, let bodyComplete { metrics.append(("download_ms", (bodyComplete - firstByte).milliseconds)) }
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
