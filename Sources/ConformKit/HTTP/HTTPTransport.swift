import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends prepared requests with AsyncHTTPClient and records each exchange: timing, capped body, failure.
///
/// Redirects are not followed (a token endpoint that redirects is reported as such), responses are not
/// decompressed, and a refused connection fails at once instead of being retried until the timeout. conform
/// speaks HTTP/1.1: the client reports connection events for HTTP/1.1 connections only, and timing
/// phases must be complete. No request is ever retried.
public final class HTTPTransport: Sendable {
    private let client: HTTPClient
    private let group: MultiThreadedEventLoopGroup
    private let ledger = ConnectionLedger()
    public let timeoutSeconds: Double
    public let maxBodyBytes: Int

    public init(timeoutSeconds: Double, maxBodyBytes: Int, maxConnections: Int = 8) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(timeoutSeconds * 1000)), read: nil),
            decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, maxConnections)
        configuration.httpVersion = .http1Only
        // Half the cores for I/O (at least one): the checks of every sample need the rest, and on loopback
        // so does the endpoint. One event loop handles thousands of connections.
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount / 2))
        self.client = HTTPClient(
            eventLoopGroupProvider: .shared(group), configuration: configuration,
            backgroundActivityLogger: ledger.backgroundLogger)
        self.timeoutSeconds = timeoutSeconds
        self.maxBodyBytes = maxBodyBytes
    }

    public func shutdown() async {
        try? await client.shutdown()
        try? await group.shutdownGracefully()
    }

    /// Sends one request; never throws: a failure is part of the exchange.
    public func send(_ request: PreparedRequest) async -> Exchange {
        let start = ContinuousClock.now
        let recorder = ExchangeRecorder(start: start, limit: maxBodyBytes, ledger: ledger)
        do {
            let clientRequest = try request.clientRequest.get()
            let deadline = NIODeadline.now() + .nanoseconds(Int64(timeoutSeconds * 1e9))
            let logger = Logger(label: "conform.http.request") { _ in
                RequestEventHandler(onScheduled: { [recorder] id in recorder.scheduled(on: id) })
            }
            try await client.execute(request: clientRequest, delegate: recorder, deadline: deadline, logger: logger)
                .futureResult.get()
        } catch {
            return recorder.exchange(for: request, error: error, timeoutSeconds: timeoutSeconds)
        }
        return recorder.exchange(for: request, error: nil, timeoutSeconds: timeoutSeconds)
    }
}

/// Receives AsyncHTTPClient's callbacks for one request: instants, response head, body up to the cap.
final class ExchangeRecorder: HTTPClientResponseDelegate {
    typealias Response = Void

    private struct State {
        var connectionReady: ContinuousClock.Instant?
        var connection: ExchangeTiming.Connection = .unknown
        var headSent: ContinuousClock.Instant?
        var requestSent: ContinuousClock.Instant?
        var firstByte: ContinuousClock.Instant?
        var bodyComplete: ContinuousClock.Instant?
        var head: HTTPResponseHead?
        var body = ByteBuffer()
    }

    private let start: ContinuousClock.Instant
    private let limit: Int
    private let ledger: ConnectionLedger
    private let state = NIOLockedValueBox(State())

    init(start: ContinuousClock.Instant, limit: Int, ledger: ConnectionLedger) {
        self.start = start
        self.limit = limit
        self.ledger = ledger
    }

    /// The pool wrote the request to a connection.
    func scheduled(on connectionID: String) {
        let now = ContinuousClock.now
        let connection = ledger.claim(connectionID)
        state.withLockedValue {
            $0.connectionReady = now
            $0.connection = connection
        }
    }

    func didSendRequestHead(task: HTTPClient.Task<Void>, _ head: HTTPRequestHead) {
        let now = ContinuousClock.now
        state.withLockedValue { $0.headSent = now }
    }

    func didSendRequest(task: HTTPClient.Task<Void>) {
        let now = ContinuousClock.now
        state.withLockedValue { $0.requestSent = now }
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let now = ContinuousClock.now
        state.withLockedValue {
            $0.firstByte = now
            $0.head = head
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let limit = self.limit
        let accepted = state.withLockedValue { state -> Bool in
            guard state.body.readableBytes + buffer.readableBytes <= limit else { return false }
            var part = buffer
            state.body.writeBuffer(&part)
            return true
        }
        return accepted
            ? task.eventLoop.makeSucceededVoidFuture()
            : task.eventLoop.makeFailedFuture(BodyLimitExceeded(limit: limit))
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        let now = ContinuousClock.now
        state.withLockedValue { $0.bodyComplete = now }
    }

    func exchange(for request: PreparedRequest, error: (any Error)?, timeoutSeconds: Double) -> Exchange {
        let end = ContinuousClock.now
        let state = state.withLockedValue { $0 }
        let timing = ExchangeTiming(
            connection: state.connection, connectionReady: state.connectionReady.map { $0 - start },
            requestHeadSent: state.headSent.map { $0 - start },
            requestSent: state.requestSent.map { $0 - start },
            firstByte: state.firstByte.map { $0 - start }, bodyComplete: state.bodyComplete.map { $0 - start },
            total: (state.bodyComplete ?? end) - start)
        let response = state.head.map { head in
            HTTPResponseSnapshot(
                status: Int(head.status.code), reason: head.status.reasonPhrase,
                headers: head.headers.map { (name: $0.name, value: $0.value) }, body: Data(state.body.readableBytesView)
            )
        }
        guard let error else { return Exchange(request: request, response: response, failure: nil, timing: timing) }
        if let failure = error as? TransportFailure {
            return Exchange(request: request, response: response, failure: failure, timing: timing)
        }
        let contentLength = state.head?.headers.first(name: "Content-Length").flatMap(Int.init)
        let failure = TransportFailure.classify(
            error, url: request.url, timeout: timeoutSeconds, headReceived: state.head != nil,
            bodyBytes: state.body.readableBytes, contentLength: contentLength)
        return Exchange(request: request, response: response, failure: failure, timing: timing)
    }
}
