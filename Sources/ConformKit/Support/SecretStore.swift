import Foundation
import NIOConcurrencyHelpers

/// Every secret value known to one run: secret variables, the mock's credentials, secret captures, tokens
/// the endpoint issued (secret fields, found by name even in bodies that do not parse) and values derived
/// from secrets (an `Authorization` header).
///
/// The store only collects values; ``OutputBoundary`` masks them, once, in everything conform prints or
/// writes. Values arrive while the run goes on, so the store is shared and locked.
///
/// Memory and work stay bounded whatever an endpoint issues:
/// - each spelling of a secret is kept as its first ``SecretMasker/keptLength`` bytes and its length
///   (``SecretPattern``): a server issuing a fresh 800 KB token on every answer costs 128 bytes a token;
/// - the patterns are compiled in generations of growing sizes, like a binary counter: the secrets learnt
///   since the last output are compiled alone, and merged with the younger generations at most twice their
///   size, so each pattern byte is compiled O(log n) times over a run and a text is scanned by O(log n)
///   automata, where every new secret used to compile all the others again at the next output (which
///   made 80 suites cost 80² compilations of their secrets);
/// - past ``automatonBudget`` bytes of patterns, further secrets are kept as fingerprints in a fixed
///   2 MiB table (``SecretFingerprints``): still masked, at times a little more widely.
final class SecretStore: Sendable {
    /// Bytes of patterns compiled into automata (about 33 bytes of memory each); past it, fingerprints.
    static let automatonBudget = 512 * 1024

    private struct Generation {
        var patterns: [SecretPattern]
        var automaton: SecretMasker.Automaton
        var bytes: Int
    }

    private struct State {
        /// What is kept already: each pattern once, whichever secret brought it.
        var known: Set<SecretPattern> = []
        var count = 0
        var generations: [Generation] = []
        var pending: [SecretPattern] = []
        var pendingBytes = 0
        var keptBytes = 0
        var fingerprints = SecretFingerprints()
        var masker: SecretMasker?
        var warnedOrigins: Set<String> = []
        /// Pattern bytes compiled into automata over the run: the work of keeping the masker current.
        var compiledBytes = 0
    }

    private let state = NIOLockedValueBox(State())
    /// Told once per origin when a secret is too short to be masked everywhere without garbling text.
    private let shortSecretHandler = NIOLockedValueBox<(@Sendable (RunDiagnostic) -> Void)?>(nil)

    init(_ initial: [String] = []) {
        for secret in initial { add(secret) }
    }

    /// Registers a secret. `origin` names it in the one warning given when it is shorter than
    /// ``SecretMasker/minimumLength`` characters ("the secret variable 'pin'"); the value is never shown.
    func add(_ secret: String, origin: String? = nil) {
        guard !secret.isEmpty else { return }
        let patterns = SecretMasker.patterns(of: secret)
        let warning = state.withLockedValue { state -> String? in
            var added = false
            for pattern in patterns where !state.known.contains(pattern) && !state.fingerprints.contains(pattern) {
                added = true
                if state.keptBytes + pattern.bytes.count <= Self.automatonBudget {
                    state.known.insert(pattern)
                    state.pending.append(pattern)
                    state.pendingBytes += pattern.bytes.count
                    state.keptBytes += pattern.bytes.count
                } else {
                    state.fingerprints.insert(pattern)
                }
            }
            guard added else { return nil }
            state.count += 1
            state.masker = nil
            guard secret.utf8.count < SecretMasker.minimumLength, let origin,
                state.warnedOrigins.insert(origin).inserted
            else { return nil }
            return origin
        }
        if let warning, let handler = shortSecretHandler.withLockedValue({ $0 }) {
            handler(
                RunDiagnostic.warning(
                    "\(warning) is shorter than \(SecretMasker.minimumLength) characters: it is masked only where it stands as a whole value"
                ))
        }
    }

    /// Where warnings about short secrets go (the run's diagnostics).
    func onShortSecret(_ handler: @escaping @Sendable (RunDiagnostic) -> Void) {
        shortSecretHandler.withLockedValue { $0 = handler }
    }

    /// `true` when the store keeps every spelling of this value (a long value: its start and its length).
    func contains(_ value: String) -> Bool {
        let patterns = SecretMasker.patterns(of: value)
        return state.withLockedValue { state in
            !patterns.isEmpty && patterns.allSatisfy { state.known.contains($0) || state.fingerprints.contains($0) }
        }
    }

    var isEmpty: Bool { state.withLockedValue { $0.count == 0 } }

    /// What keeping the secrets has cost so far: secrets registered, pattern bytes kept in automata, pattern
    /// bytes compiled over the run, automata, fingerprinted patterns.
    struct Cost: Equatable {
        var secrets: Int
        var keptBytes: Int
        var compiledBytes: Int
        var automata: Int
        var fingerprinted: Int
    }

    var cost: Cost {
        state.withLockedValue {
            Cost(
                secrets: $0.count, keptBytes: $0.keptBytes, compiledBytes: $0.compiledBytes,
                automata: $0.generations.count, fingerprinted: $0.fingerprints.count)
        }
    }

    /// The masker for the secrets known now. The patterns learnt since the last call become a generation
    /// of their own, merged with the younger generations no larger than it (a binary counter's carry).
    var masker: SecretMasker {
        state.withLockedValue { state in
            if let masker = state.masker { return masker }
            if !state.pending.isEmpty {
                var patterns = state.pending
                var bytes = state.pendingBytes
                // Merging what is at most twice as large: each older generation is then more than twice the
                // next (a few automata to scan), and a byte's generation grows by half at each merge (a few
                // compilations of each byte).
                while let last = state.generations.last, last.bytes <= 2 * bytes {
                    patterns = last.patterns + patterns
                    bytes += last.bytes
                    state.generations.removeLast()
                }
                state.compiledBytes += bytes
                state.generations.append(
                    Generation(patterns: patterns, automaton: SecretMasker.Automaton(patterns: patterns), bytes: bytes))
                state.pending = []
                state.pendingBytes = 0
            }
            let masker = SecretMasker(automata: state.generations.map(\.automaton), fingerprints: state.fingerprints)
            state.masker = masker
            return masker
        }
    }

    /// The text with every known secret replaced by `***` (``SecretMasker``).
    func mask(_ text: String) -> String {
        masker.mask(text)
    }
}

extension CharacterSet {
    /// Characters left as they are in a query value: unreserved characters only.
    static let urlQueryValueAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    )
}
