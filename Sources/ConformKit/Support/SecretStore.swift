import Foundation
import NIOConcurrencyHelpers

/// Every secret value known to one run: secret variables, secret captures and secret response fields.
///
/// All text conform prints or writes goes through ``redact(_:)``. Captured tokens join the store while
/// the run goes on, so the store is shared and locked.
///
/// A store can sit on a parent: a repeated case's samples each mask their own one-off tokens with a child
/// store, and only what is kept for the report reaches the run-wide store.
public final class SecretStore: Sendable {
    private let secrets = NIOLockedValueBox<[String]>([])
    private let parent: SecretStore?

    public init(_ initial: [String] = [], parent: SecretStore? = nil) {
        self.parent = parent
        for secret in initial { add(secret) }
    }

    /// Registers a secret and the forms it takes on the wire (percent-encoded, form-encoded, JSON-escaped).
    public func add(_ secret: String) {
        guard !secret.isEmpty else { return }
        let forms = Self.wireForms(of: secret)
        secrets.withLockedValue { known in
            var changed = false
            for form in forms where !known.contains(form) {
                known.append(form)
                changed = true
            }
            // Longest first, so that a secret containing another is masked whole.
            if changed { known.sort { $0.count > $1.count } }
        }
    }

    /// `true` when the store already holds this exact value.
    public func contains(_ value: String) -> Bool {
        secrets.withLockedValue { $0.contains(value) } || parent?.contains(value) == true
    }

    /// This store's own secrets and its parents', longest first.
    private var allSecrets: [String] {
        let own = secrets.withLockedValue { $0 }
        guard let parent else { return own }
        return (own + parent.allSecrets).sorted { $0.count > $1.count }
    }

    /// The text with every known secret replaced by `***`.
    ///
    /// conform cuts long values with "…"; a secret cut that way is masked too, down to its first four
    /// characters, so that no truncation leaks the start of a token.
    public func redact(_ text: String) -> String {
        let known = allSecrets
        guard !known.isEmpty else { return text }
        var result = text
        for secret in known where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: ConformDefaults.redactionMask)
        }
        return result.contains(Self.ellipsis) ? maskCutSecrets(result, known) : result
    }

    static let ellipsis: Character = "…"
    static let shortestMaskedPrefix = 4

    private func maskCutSecrets(_ text: String, _ known: [String]) -> String {
        var result = ""
        var pending = Substring(text)
        while let cut = pending.firstIndex(of: Self.ellipsis) {
            var before = String(pending[..<cut])
            for secret in known {
                let longest = min(secret.count, before.count)
                guard longest >= Self.shortestMaskedPrefix else { continue }
                for length in stride(from: longest, through: Self.shortestMaskedPrefix, by: -1)
                where before.hasSuffix(secret.prefix(length)) {
                    before = String(before.dropLast(length)) + ConformDefaults.redactionMask
                    break
                }
            }
            result += before + String(Self.ellipsis)
            pending = pending[pending.index(after: cut)...]
        }
        return result + pending
    }

    private static func wireForms(of secret: String) -> [String] {
        var forms = [secret]
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) {
            forms.append(encoded)
        }
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            forms.append(encoded)
        }
        if let data = try? JSONEncoder().encode(secret), let quoted = String(data: data, encoding: .utf8) {
            forms.append(String(quoted.dropFirst().dropLast()))
        }
        return forms.filter { !$0.isEmpty }
    }
}

extension CharacterSet {
    /// Characters left as they are in a query value: unreserved characters only.
    static let urlQueryValueAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
}
