import NIOConcurrencyHelpers

/// What one connection's handshake learned on the way, for the words of its failure: the reason the
/// certificate verification refused the server's chain, and whether the server asked for a client
/// certificate. Also tells the verification, which runs off the event loop, that the handshake has ended
/// (timed out, cancelled, closed), so that it stops.
final class HandshakeNotes: Sendable {
    private let verification = NIOLockedValueBox<TLSFailure?>(nil)
    private let requested = NIOLockedValueBox(false)
    private let ended = NIOLockedValueBox(false)
    private let plainHTTP = NIOLockedValueBox(false)

    /// The server's first bytes were an HTTP status line, not a TLS record: it speaks plain HTTP.
    func answeredInPlainHTTP() {
        plainHTTP.withLockedValue { $0 = true }
    }

    var serverAnsweredInPlainHTTP: Bool { plainHTTP.withLockedValue { $0 } }

    func set(_ failure: TLSFailure) {
        verification.withLockedValue { $0 = failure }
    }

    func take() -> TLSFailure? {
        verification.withLockedValue { $0 }
    }

    func certificateRequested() {
        requested.withLockedValue { $0 = true }
    }

    var serverAskedForACertificate: Bool { requested.withLockedValue { $0 } }

    /// The handshake is over, whatever its outcome: a verification still running stops.
    func handshakeEnded() {
        ended.withLockedValue { $0 = true }
    }

    var hasHandshakeEnded: Bool { ended.withLockedValue { $0 } }
}
