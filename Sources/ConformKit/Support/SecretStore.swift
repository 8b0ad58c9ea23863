import Foundation
import NIOConcurrencyHelpers

/// Every secret value known to one run: secret variables, secret captures and secret response fields.
///
/// All text conform prints or writes goes through ``redact(_:)``. Captured tokens join the store while
/// the run goes on, so the store is shared and locked.
///
/// A store can sit on a parent: a repeated case's samples each mask their own one-off tokens with a child
/// store, and only what is kept for the report reaches the run-wide store. Matching works on UTF-8 bytes:
/// redaction runs for every message of every sample.
public final class SecretStore: Sendable {
    private struct Known: Sendable {
        /// UTF-8 forms, longest first, so that a secret containing another is masked whole.
        var forms: [[UInt8]] = []
        /// `true` for each byte that starts a form: most positions of a text are skipped with one lookup.
        var firstBytes = [Bool](repeating: false, count: 256)
        /// Counts additions here and in the parents, so that a merged copy knows when it is stale.
        var generation = 0
        /// Secrets whose percent-encoded forms are not made yet: those forms contain '%', so they are made
        /// when a text with a '%' is first redacted (most texts, such as a sample's messages, have none).
        var awaitingPercentForms: [[UInt8]] = []
    }

    private let known = NIOLockedValueBox(Known())
    /// This store's forms merged with its parents', kept while no store on the chain changes.
    private let merged = NIOLockedValueBox<Known?>(nil)
    private let parent: SecretStore?

    public init(_ initial: [String] = [], parent: SecretStore? = nil) {
        self.parent = parent
        for secret in initial { add(secret) }
    }

    /// Registers a secret and the forms it takes on the wire (percent-encoded, form-encoded, JSON-escaped).
    public func add(_ secret: String) {
        guard !secret.isEmpty, !contains(secret) else { return }
        let raw = Array(secret.utf8)
        let forms = Self.jsonForms(of: raw, secret)
        known.withLockedValue { known in
            Self.insert(forms, into: &known)
            if raw.contains(where: { !ASCII.isAlphanumeric($0) }) {
                known.awaitingPercentForms.append(raw)
            }
        }
    }

    private static func insert(_ forms: [[UInt8]], into known: inout Known) {
        var changed = false
        for form in forms where !form.isEmpty && !known.forms.contains(form) {
            known.forms.append(form)
            known.firstBytes[Int(form[0])] = true
            changed = true
        }
        if changed {
            known.forms.sort { $0.count > $1.count }
            known.generation += 1
        }
    }

    /// Makes the percent-encoded forms now owed, here and in the parents.
    private func makePercentForms() {
        known.withLockedValue { known in
            guard !known.awaitingPercentForms.isEmpty else { return }
            let owed = known.awaitingPercentForms
            known.awaitingPercentForms = []
            for raw in owed {
                Self.insert(
                    [
                        Self.percentEncoded(raw, keeping: ASCII.isUnreserved),
                        Self.percentEncoded(raw, keeping: ASCII.isAlphanumeric),
                    ], into: &known)
            }
        }
        parent?.makePercentForms()
    }

    /// `true` when the store (or a parent) already holds this exact value.
    public func contains(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return known.withLockedValue { $0.forms.contains(bytes) } || parent?.contains(value) == true
    }

    /// This store's forms and its parents', longest first; `generation` sums the chain's additions.
    private var allKnown: Known {
        let own = known.withLockedValue { $0 }
        guard let parent else { return own }
        let inherited = parent.allKnown
        let generation = own.generation + inherited.generation
        if let cached = merged.withLockedValue({ $0 }), cached.generation == generation { return cached }
        var combined = inherited
        combined.generation = generation
        if !own.forms.isEmpty {
            combined.forms = (own.forms + inherited.forms).sorted { $0.count > $1.count }
            for index in 0..<256 { combined.firstBytes[index] = own.firstBytes[index] || inherited.firstBytes[index] }
        }
        merged.withLockedValue { $0 = combined }
        return combined
    }

    /// The text with every known secret replaced by `***`.
    ///
    /// conform cuts long values with "…"; a secret cut that way is masked too, down to its first four
    /// characters, so that no truncation leaks the start of a token.
    public func redact(_ text: String) -> String {
        if text.utf8.contains(UInt8(ascii: "%")) { makePercentForms() }
        let known = allKnown
        guard let shortest = known.forms.last?.count else { return text }
        let bytes = Array(text.utf8)
        guard bytes.count >= min(shortest, Self.shortestMaskedPrefix) else { return text }
        var output: [UInt8] = []
        var changed = false
        var index = 0
        let mask = Array(ConformDefaults.redactionMask.utf8)
        output.reserveCapacity(bytes.count)
        while index < bytes.count {
            if known.firstBytes[Int(bytes[index])],
                let form = known.forms.first(where: { Self.matches($0, in: bytes, at: index) })
            {
                output += mask
                index += form.count
                changed = true
                continue
            }
            if bytes[index] == Self.ellipsis[0], Self.matches(Self.ellipsis, in: bytes, at: index),
                let cut = Self.cutPrefix(before: index, in: output, known.forms)
            {
                output.removeLast(cut)
                output += mask
                changed = true
            }
            output.append(bytes[index])
            index += 1
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }

    static let ellipsis = Array("…".utf8)
    static let shortestMaskedPrefix = 4

    private static func matches(_ form: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        guard index + form.count <= bytes.count else { return false }
        for offset in 0..<form.count where bytes[index + offset] != form[offset] { return false }
        return true
    }

    /// The length of the longest secret prefix (four characters or more) that ends the output at a "…".
    private static func cutPrefix(before index: Int, in output: [UInt8], _ forms: [[UInt8]]) -> Int? {
        var best: Int?
        for form in forms {
            var length = min(form.count - 1, output.count)
            while length >= shortestMaskedPrefix {
                if output[(output.count - length)...].elementsEqual(form[..<length]) {
                    if length > best ?? 0 { best = length }
                    break
                }
                length -= 1
            }
        }
        return best
    }

    /// The secret and, when JSON would escape any of its characters, its JSON-escaped forms (with and
    /// without escaped slashes). Percent-encoded forms come later, when needed (``makePercentForms()``).
    private static func jsonForms(of raw: [UInt8], _ secret: String) -> [[UInt8]] {
        var forms = [raw]
        if raw.contains(where: {
            $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "/")
        }) {
            for escapeSlashes in [true, false] {
                let encoder = JSONEncoder()
                if !escapeSlashes { encoder.outputFormatting = .withoutEscapingSlashes }
                if let data = try? encoder.encode(secret), data.count > 2 {
                    forms.append(Array(data.dropFirst().dropLast()))
                }
            }
        }
        return forms
    }

    private static func percentEncoded(_ bytes: [UInt8], keeping keep: (UInt8) -> Bool) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in bytes {
            if keep(byte) {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return encoded
    }
}

extension CharacterSet {
    /// Characters left as they are in a query value: unreserved characters only.
    static let urlQueryValueAllowed = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
}
