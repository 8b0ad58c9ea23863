import Foundation
import NIOConcurrencyHelpers

/// Every secret value known to one run: secret variables, the mock's credentials, secret captures, tokens
/// the endpoint issued (secret fields, found by name even in bodies that do not parse) and values derived
/// from secrets (an `Authorization` header).
///
/// The store only collects values; ``OutputBoundary`` masks them, once, in everything conform prints or
/// writes. Values arrive while the run goes on, so the store is shared and locked; the masker is compiled
/// again only after a change.
public final class SecretStore: Sendable {
    private struct State {
        var values: [String] = []
        var known: Set<String> = []
        var masker: SecretMasker?
        var warnedOrigins: Set<String> = []
    }

    private let state = NIOLockedValueBox(State())
    /// Told once per origin when a secret is too short to be masked everywhere without garbling text.
    private let shortSecretHandler = NIOLockedValueBox<(@Sendable (String) -> Void)?>(nil)

    public init(_ initial: [String] = []) {
        for secret in initial { add(secret) }
    }

    /// Registers a secret. `origin` names it in the one warning given when it is shorter than
    /// ``SecretMasker/minimumLength`` characters ("the secret variable 'pin'"); the value is never shown.
    public func add(_ secret: String, origin: String? = nil) {
        guard !secret.isEmpty else { return }
        let warning = state.withLockedValue { state -> String? in
            guard state.known.insert(secret).inserted else { return nil }
            state.values.append(secret)
            state.masker = nil
            guard secret.utf8.count < SecretMasker.minimumLength, let origin,
                state.warnedOrigins.insert(origin).inserted
            else { return nil }
            return origin
        }
        if let warning, let handler = shortSecretHandler.withLockedValue({ $0 }) {
            handler(
                "conform: warning: \(warning) is shorter than \(SecretMasker.minimumLength) characters: it is masked only where it stands as a whole value"
            )
        }
    }

    /// Where warnings about short secrets go (the run's standard error).
    public func onShortSecret(_ handler: @escaping @Sendable (String) -> Void) {
        shortSecretHandler.withLockedValue { $0 = handler }
    }

    /// `true` when the store holds this exact value.
    public func contains(_ value: String) -> Bool {
        state.withLockedValue { $0.known.contains(value) }
    }

    public var isEmpty: Bool { state.withLockedValue { $0.values.isEmpty } }

    /// The masker for the secrets known now.
    var masker: SecretMasker {
        state.withLockedValue { state in
            if let masker = state.masker { return masker }
            let masker = SecretMasker(secrets: state.values)
            state.masker = masker
            return masker
        }
    }

    /// The text with every known secret replaced by `***` (``SecretMasker``).
    public func mask(_ text: String) -> String {
        masker.mask(text)
    }
}

extension CharacterSet {
    /// Characters left as they are in a query value: unreserved characters only.
    static let urlQueryValueAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    )
}
