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
    }

    private let known = NIOLockedValueBox(Known())
    private let parent: SecretStore?

    public init(_ initial: [String] = [], parent: SecretStore? = nil) {
        self.parent = parent
        for secret in initial { add(secret) }
    }

    /// Registers a secret and the forms it takes on the wire (percent-encoded, form-encoded, JSON-escaped).
    public func add(_ secret: String) {
        guard !secret.isEmpty, !contains(secret) else { return }
        let forms = Self.wireForms(of: secret)
        known.withLockedValue { known in
            var changed = false
            for form in forms where !known.forms.contains(form) {
                known.forms.append(form)
                known.firstBytes[Int(form[0])] = true
                changed = true
            }
            if changed { known.forms.sort { $0.count > $1.count } }
        }
    }

    /// `true` when the store (or a parent) already holds this exact value.
    public func contains(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return known.withLockedValue { $0.forms.contains(bytes) } || parent?.contains(value) == true
    }

    /// This store's forms and its parents', longest first.
    private var allKnown: Known {
        let own = known.withLockedValue { $0 }
        guard let parent else { return own }
        let inherited = parent.allKnown
        guard !own.forms.isEmpty else { return inherited }
        var merged = inherited
        merged.forms = (own.forms + inherited.forms).sorted { $0.count > $1.count }
        for index in 0..<256 { merged.firstBytes[index] = own.firstBytes[index] || inherited.firstBytes[index] }
        return merged
    }

    /// The text with every known secret replaced by `***`.
    ///
    /// conform cuts long values with "…"; a secret cut that way is masked too, down to its first four
    /// characters, so that no truncation leaks the start of a token.
    public func redact(_ text: String) -> String {
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

    /// The secret, its percent-encoded forms (unreserved characters kept, and alphanumerics only), and its
    /// JSON-escaped form when JSON would escape any of its characters.
    private static func wireForms(of secret: String) -> [[UInt8]] {
        let raw = Array(secret.utf8)
        var forms = [
            raw, percentEncoded(raw, keeping: ASCII.isUnreserved), percentEncoded(raw, keeping: ASCII.isAlphanumeric),
        ]
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
        var unique: [[UInt8]] = []
        for form in forms where !form.isEmpty && !unique.contains(form) { unique.append(form) }
        return unique
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
