import ConformJSON
import Foundation

/// A JWK Set (RFC 7517 §5) read in bounded time: at most ``maximumBytes`` and ``maximumKeys`` keys. Keys
/// that cannot verify anything (an unknown `kty`, a published secret) are kept aside with the reason, so
/// that a token naming one hears why.
struct JSONWebKeySet: Sendable {
    static let maximumBytes = 256 << 10
    static let maximumKeys = 100

    var keys: [JSONWebKey]
    /// Keys that were refused, by `kid` (or position), with the reason.
    var refused: [(keyID: String?, reason: String)]

    static func parse(_ data: Data) throws(JWKSError) -> JSONWebKeySet {
        guard data.count <= maximumBytes else {
            throw .set("a key set of \(data.count) bytes, more than the \(maximumBytes) conform reads")
        }
        guard let value = JSONValue.decode(data) else { throw .set("a key set that is not JSON") }
        return try read(value)
    }

    static func read(_ value: JSONValue) throws(JWKSError) -> JSONWebKeySet {
        guard case .object(let members) = value, case .array(let items)? = members["keys"] else {
            throw .set("a key set needs a \"keys\" array (RFC 7517 §5)")
        }
        guard items.count <= maximumKeys else {
            throw .set("a key set of \(items.count) keys, more than the \(maximumKeys) conform reads")
        }
        var set = JSONWebKeySet(keys: [], refused: [])
        for item in items {
            do {
                set.keys.append(try JSONWebKey.read(item))
            } catch {
                var kid: String?
                if case .object(let key) = item, case .string(let id)? = key["kid"] { kid = id }
                set.refused.append((kid, error.description))
            }
        }
        return set
    }

    /// The key that verifies a token with this header, or why there is none. With a `kid`, only the key of
    /// that `kid`; without one, every key whose kind fits the algorithm is a candidate.
    func candidates(for algorithm: JWTAlgorithm, keyID: String?) -> Result<[JSONWebKey], JWKSError> {
        let named = keyID.map { id in keys.filter { $0.keyID == id } } ?? keys
        if let keyID, named.isEmpty {
            if let refusal = refused.first(where: { $0.keyID == keyID }) {
                return .failure(
                    .set("kid \(JSONValue.quoted(keyID)) names a key conform cannot use: \(refusal.reason)"))
            }
            let known = keys.compactMap(\.keyID).map { JSONValue.quoted($0) }
            return .failure(
                .set(
                    "kid \(JSONValue.quoted(keyID)) is not in the key set (its kids: \(known.isEmpty ? "none" : known.prefix(10).joined(separator: ", ")))"
                ))
        }
        let ofKind = named.filter { $0.material.kind == algorithm.keyKind }
        let fitting = ofKind.filter { $0.use != "enc" }
        if fitting.isEmpty, !ofKind.isEmpty {
            let which = keyID.map { "the key of kid \(JSONValue.quoted($0)) is" } ?? "the set's keys are"
            return .failure(.set("\(which) for encryption (use \"enc\"), not for signatures"))
        }
        guard !fitting.isEmpty else {
            let kinds = Set(named.map(\.material.kind.description)).sorted().joined(separator: ", ")
            let which = keyID.map { "the key of kid \(JSONValue.quoted($0)) is" } ?? "the set's keys are"
            return .failure(
                .set("\(algorithm.rawValue) needs \(algorithm.keyKind), and \(which) \(named.isEmpty ? "none" : kinds)")
            )
        }
        let allowed = fitting.filter { $0.algorithm == nil || $0.algorithm == algorithm.rawValue }
        guard !allowed.isEmpty else {
            let which = keyID.map { "the key of kid \(JSONValue.quoted($0)) is" } ?? "the fitting keys are"
            let named = Set(fitting.compactMap(\.algorithm)).sorted().joined(separator: ", ")
            return .failure(.set("\(which) for alg \(named), not \(algorithm.rawValue)"))
        }
        return .success(allowed)
    }
}
