/// Where the time of one exchange went, measured with a monotonic clock (`ContinuousClock`) at the points
/// where each phase begins and ends.
///
/// The phases are contiguous: each begins where the one before it ended, so the present ones add up to
/// `total` exactly. A phase the exchange never reached is `nil`; the phase in progress when an exchange
/// failed runs until the failure. A reused connection has no `dns`, `connect` or `tls`.
///
///     queue ─▶ dns ─▶ connect ─▶ tls ─▶ send ─▶ wait ─▶ download
///     └ conform ┘└──────────────── the endpoint's latency ───────────┘
package struct ExchangeTiming: Sendable, Equatable {
    /// How the request got its connection.
    package enum Connection: Sendable, Equatable {
        /// Opened for this request: its `dns`, `connect` and `tls` phases are measured.
        case new
        /// An idle keep-alive connection: the set-up phases were skipped.
        case reused
        /// The exchange ended before it had a connection.
        case unknown
    }

    package var connection: Connection
    /// From `send` until a pooled connection was handed over or a new connection began: conform's own
    /// time, waiting for a free connection under the per-host limit (and an attempt given up for a resend).
    package var queue: Duration
    /// Name resolution of a new connection; zero for an IP literal.
    package var dns: Duration?
    /// TCP connect; through a proxy, the connect to the proxy and, for https, its CONNECT exchange.
    package var connect: Duration?
    /// The TLS handshake, certificate verification included.
    package var tls: Duration?
    /// Writing the request head and body until the socket took the last byte.
    package var send: Duration?
    /// From the request written to the first response byte: the server's time plus the network.
    package var wait: Duration?
    /// From the first to the last response byte.
    package var download: Duration?
    /// The whole exchange as conform waited for it.
    package var total: Duration

    init(
        connection: Connection = .unknown, queue: Duration = .zero, dns: Duration? = nil, connect: Duration? = nil,
        tls: Duration? = nil, send: Duration? = nil, wait: Duration? = nil, download: Duration? = nil,
        total: Duration
    ) {
        self.connection = connection
        self.queue = queue
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.send = send
        self.wait = wait
        self.download = download
        self.total = total
    }

    /// When the endpoint's part began: the end of the queue. Before it, the time is conform's own.
    var endpointStart: Duration { queue }

    /// The endpoint's latency, which budgets, percentiles and comparisons use: connection set-up (when
    /// new), sending, the server's time and the download; not conform's own queueing.
    package var latency: Duration { total - queue }

    /// Set-up of a new connection: `dns` + `connect` + `tls`; `nil` for a reused one.
    var setup: Duration? {
        guard connection == .new else { return nil }
        return (dns ?? .zero) + (connect ?? .zero) + (tls ?? .zero)
    }

    /// Time to first byte, from the start of the endpoint's part; `nil` when no byte came.
    var timeToFirstByte: Duration? {
        guard download != nil else { return nil }
        return [dns, connect, tls, send, wait].reduce(Duration.zero) { $0 + ($1 ?? .zero) }
    }

    /// The phases in milliseconds, named as in reports (`<case>.<name>`); absent phases are left out.
    ///
    /// - `dns_ms`, `connect_ms` (TCP alone), `tls_ms`: set-up of a new connection; absent for a reused one.
    /// - `send_ms`: writing the request head and body.
    /// - `wait_ms`: from the request written to the first response byte; `server_ms` is the same value,
    ///   under the name earlier reports used.
    /// - `ttfb_ms`: time to first byte, from the start of the endpoint's part.
    /// - `download_ms`: from the first to the last response byte.
    /// - `latency_ms`: the endpoint's part, from its start to the last byte.
    /// - `queue_ms`: before the endpoint's part: conform waiting for a connection.
    /// - `total_ms`: the whole exchange as conform waited for it (`queue_ms` + `latency_ms`).
    package var metrics: [(name: String, milliseconds: Double)] {
        var metrics: [(String, Double)] = []
        forEachMetric { index, milliseconds in metrics.append((Self.metricNames[index], milliseconds)) }
        return metrics
    }

    /// The present metrics as (index in ``metricNames``, milliseconds), in order, without building names.
    package func forEachMetric(_ body: (Int, Double) -> Void) {
        if let dns { body(0, dns.milliseconds) }
        if let connect { body(1, connect.milliseconds) }
        if let tls { body(2, tls.milliseconds) }
        if let send { body(3, send.milliseconds) }
        if let wait {
            body(4, wait.milliseconds)
            body(5, wait.milliseconds)
        }
        if let timeToFirstByte { body(6, timeToFirstByte.milliseconds) }
        if let download { body(7, download.milliseconds) }
        body(8, latency.milliseconds)
        body(9, queue.milliseconds)
        body(10, total.milliseconds)
    }

    /// The order of ``metrics`` names, for medians over samples.
    package static let metricNames = [
        "dns_ms", "connect_ms", "tls_ms", "send_ms", "wait_ms", "server_ms", "ttfb_ms", "download_ms", "latency_ms",
        "queue_ms", "total_ms",
    ]

    /// "new connection" or "reused connection (set-up skipped)", for the console.
    package var connectionDescription: String {
        switch connection {
        case .new: "new connection"
        case .reused: "reused connection (set-up skipped)"
        case .unknown: "connection unknown"
        }
    }
}

/// The instants at which the phases of one exchange began, in order, turned into ``ExchangeTiming``.
struct PhaseClock: Sendable {
    enum Phase: Int, Sendable {
        case queue, dns, connect, tls, send, wait, download
    }

    let start: ContinuousClock.Instant
    private(set) var marks: [(phase: Phase, at: ContinuousClock.Instant)]
    var connection: ExchangeTiming.Connection = .unknown

    init(start: ContinuousClock.Instant = .now) {
        self.start = start
        marks = [(.queue, start)]
        marks.reserveCapacity(7)
    }

    /// `phase` begins at `instant`, which ends the phase before it. An instant earlier than the last mark
    /// (two events in one event-loop tick) is taken as the last mark, so no phase is negative.
    mutating func begin(_ phase: Phase, at instant: ContinuousClock.Instant = .now) {
        let last = marks[marks.count - 1].at
        marks.append((phase, max(instant, last)))
    }

    /// When the current phase began.
    var currentPhaseStart: ContinuousClock.Instant { marks[marks.count - 1].at }

    /// Back to the queue alone: an attempt given up for a resend counts as waiting.
    mutating func restart() {
        marks.removeSubrange(1...)
        connection = .unknown
    }

    func timing(end: ContinuousClock.Instant) -> ExchangeTiming {
        var timing = ExchangeTiming(connection: connection, total: max(end, marks[marks.count - 1].at) - start)
        for (index, mark) in marks.enumerated() {
            let until = index + 1 < marks.count ? marks[index + 1].at : max(end, mark.at)
            let duration = until - mark.at
            switch mark.phase {
            case .queue: timing.queue = duration
            case .dns: timing.dns = duration
            case .connect: timing.connect = duration
            case .tls: timing.tls = duration
            case .send: timing.send = duration
            case .wait: timing.wait = duration
            case .download: timing.download = duration
            }
        }
        return timing
    }
}

extension Duration {
    /// The duration in milliseconds, as a `Double`.
    package var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
