@testable import ConformHTTP
import Foundation
import NIOConcurrencyHelpers

@testable import ConformKit

/// A ``Transport`` that answers from a script, with no sockets: the runner's logic (sampling, budgets,
/// interruption, fail-fast, resending) tested on its own, fast and without a port.
///
///     let transport = ScriptedTransport { attempt, request in
///         attempt.index == 0 ? .response(status: 200, body: #"{"ok":true}"#) : .closedBeforeAnswering
///     }
///
/// The double keeps one keep-alive connection, as a server would: an answer leaves it open for the next
/// request (which then goes on a *reused* connection); a failure or `.closedBeforeAnswering` closes it.
/// When a connection closes before answering, the double asks ``ResendPolicy`` what to do, exactly as
/// ``HTTPTransport`` does, and plays the script's next answer on a new connection when it says resend.
/// Each answer may wait first (`after:`); cancelling the caller ends the wait with `.cancelled`, as the real
/// transport promises.
final class ScriptedTransport: Transport {
    enum Answer: Sendable {
        /// A complete response.
        case response(
            status: Int, body: String = "", headers: [(name: String, value: String)] = [],
            version: String = "HTTP/1.1", after: Duration = .zero)
        /// The request fails so (the connection closes).
        case failure(TransportFailure, after: Duration = .zero)
        /// The connection closes before any byte of an answer.
        case closedBeforeAnswering
    }

    /// Which attempt the script answers: the `index` of every attempt so far (resends included), and
    /// whether this one is a resend.
    struct Attempt: Sendable {
        var index: Int
        var resend: Bool
        /// The attempt goes on a connection that served an earlier request.
        var reused: Bool
    }

    private struct State {
        var attempts = 0
        var requests: [PreparedRequest] = []
        var connectionOpen = false
        var connectionsOpened = 0
        var inFlight = 0
        var mostInFlight = 0
    }

    private let script: @Sendable (Attempt, PreparedRequest) -> Answer
    private let state = NIOLockedValueBox(State())

    init(_ script: @escaping @Sendable (Attempt, PreparedRequest) -> Answer) {
        self.script = script
    }

    /// Every attempt sent, resends included.
    var requests: [PreparedRequest] { state.withLockedValue { $0.requests } }
    /// Connections opened: one at the start, and one after each close.
    var connectionsOpened: Int { state.withLockedValue { $0.connectionsOpened } }
    /// The most requests that were waiting for their answers at once.
    var mostInFlight: Int { state.withLockedValue { $0.mostInFlight } }

    func send(_ request: PreparedRequest) async -> Exchange {
        state.withLockedValue {
            $0.inFlight += 1
            $0.mostInFlight = max($0.mostInFlight, $0.inFlight)
        }
        defer { state.withLockedValue { $0.inFlight -= 1 } }
        let clock = ContinuousClock()
        let start = clock.now
        var resent: String?
        var reused = false
        var exchange = Exchange(request: request, response: nil, failure: nil, timing: ExchangeTiming(total: .zero))
        func finish(_ failure: TransportFailure?) -> Exchange {
            exchange.failure = failure
            exchange.resent = resent
            exchange.timing = ExchangeTiming(connection: reused ? .reused : .new, total: clock.now - start)
            return exchange
        }
        while true {
            let attempt = state.withLockedValue { state -> Attempt in
                let reused = state.connectionOpen
                if !reused {
                    state.connectionOpen = true
                    state.connectionsOpened += 1
                }
                state.attempts += 1
                state.requests.append(request)
                return Attempt(index: state.attempts - 1, resend: resent != nil, reused: reused)
            }
            reused = attempt.reused
            switch script(attempt, request) {
            case .response(let status, let body, let headers, let version, let after):
                guard await wait(after) else { return finish(.cancelled) }
                exchange.response = HTTPResponseSnapshot(
                    status: status, reason: "", headers: headers, body: Data(body.utf8), httpVersion: version)
                return finish(nil)
            case .failure(let failure, let after):
                closeConnection()
                guard await wait(after) else { return finish(.cancelled) }
                return finish(failure)
            case .closedBeforeAnswering:
                closeConnection()
                switch ResendPolicy.decide(
                    reused: attempt.reused, closedBeforeAnyByte: true, alreadyResent: resent != nil,
                    method: request.method)
                {
                case .keep: return finish(.closedWithoutResponse)
                case .refuse(let failure): return finish(failure)
                case .resend:
                    resent = Exchange.resentNote
                    continue
                }
            }
        }
    }

    func shutdown() async {
        closeConnection()
    }

    private func closeConnection() {
        state.withLockedValue { $0.connectionOpen = false }
    }

    /// Waits `duration`; `false` when the caller was cancelled meanwhile.
    private func wait(_ duration: Duration) async -> Bool {
        if duration > .zero { try? await Task.sleep(for: duration) }
        return !Task.isCancelled
    }
}
