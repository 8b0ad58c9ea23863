/// Where the time of one exchange went, measured with a monotonic clock (`ContinuousClock`).
///
/// Every instant is an offset from the moment conform handed the request to the HTTP client. A phase is
/// `nil` when the exchange ended before it (a refused connection has no first byte).
public struct ExchangeTiming: Sendable, Equatable {
    /// Request head written to the socket: includes waiting for a pooled connection or opening one.
    public var requestHeadSent: Duration?
    /// Request body written.
    public var requestSent: Duration?
    /// Response head parsed: time to first byte.
    public var firstByte: Duration?
    /// Last body byte read.
    public var bodyComplete: Duration?
    /// The whole exchange, as the latency checks see it.
    public var total: Duration

    public init(
        requestHeadSent: Duration? = nil, requestSent: Duration? = nil, firstByte: Duration? = nil,
        bodyComplete: Duration? = nil, total: Duration
    ) {
        self.requestHeadSent = requestHeadSent
        self.requestSent = requestSent
        self.firstByte = firstByte
        self.bodyComplete = bodyComplete
        self.total = total
    }
}

extension Duration {
    /// The duration in milliseconds, as a `Double`.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
