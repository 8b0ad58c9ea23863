@preconcurrency import Crypto
import ConformJSON
import ConformSupport
import Foundation

/// A field holds a JWT that meets a ``JWTExpectation``: decoded (bounded), its algorithm allowed and never
/// `none`, its signature verified with the suite's keys, `typ`, `iss`, `aud`, required and compared claims,
/// its times against the response's `Date` and the local clock, its lifetime against `expires_in`.
///
/// Messages name the claim and both values: `access_token: JWT exp: 1708719 (1970-01-20T18:38:39Z) is 56
/// years before the response's Date (2026-12-07T05:12:13Z)`. The token itself is never quoted.
struct JWTCheck: Check {
    var path: FieldPath
    var expectation: JWTExpectation
    /// Under `if_present`: a missing field passes.
    var optional = false
    var presence: FieldRuleCheck.Presence = .rule
    /// The expectation's references with the run's values.
    var issuer: String?
    var audience: String?
    var authorizedParty: String?
    var claims: [(name: String, value: JSONValue)] = []
    var keys: Keys = .none
    /// The local clock; tests fix it.
    var now: @Sendable () -> Date = { Date() }

    /// The keys the signature is verified with, as far as the run could get them.
    enum Keys: Sendable {
        /// The suite asks for no signature check.
        case none
        case keySet(JSONWebKeySet, origin: String)
        case secret(SymmetricKey)
        /// The signature is not verified, and a note says why (an optional variable is not set).
        case unavailable(String)
        /// The keys could not be had (the key set did not download or parse): the check fails.
        case failed(String)
    }

    /// Where the token is: its field.
    var location: FindingLocation { .field(path.description) }

    func evaluate(_ response: ResponseUnderTest) -> [Finding] {
        guard let value = response.document.field(at: path) else {
            if optional { return [] }
            return FieldRuleCheck(path: path, rule: .jwt, presence: presence).evaluate(response)
        }
        let text: String
        switch value {
        case .json(.string(let string)): text = string
        case .xml(let string, _): text = string
        case .json:
            return [
                .failure(
                    .jwtShape, "\(value.place(path)): expected a JWT, got \(value.seen)", location: location,
                    expected: "a JWT", actual: value.seen)
            ]
        }
        let token: JSONWebToken
        do {
            token = try JSONWebToken.decode(text)
        } catch {
            return [
                .failure(
                    .jwtShape, "\(value.place(path)): expected a JWT, got \(error)", location: location,
                    expected: "a JWT", actual: "\(error)")
            ]
        }
        var findings: [Finding] = []
        func fail(_ message: String) {
            findings.append(.failure(.jwtClaims, "\(path): JWT \(message)", location: location))
        }
        if !token.paddedParts.isEmpty {
            let parts = token.paddedParts.map(String.init).joined(separator: " and ")
            findings.append(
                .warning(
                    .jwtShape,
                    "\(path): JWT part \(parts) ends in '=' padding, which RFC 7515 §2 leaves out (strict libraries refuse the token)",
                    location: location))
        }
        findings += algorithmAndSignature(token).map {
            .failure(.jwtSignature, "\(path): JWT \($0)", location: location)
        }
        if case .unavailable(let why) = keys {
            findings.append(.note(.jwtKeys, "\(path): JWT \(why)", location: location))
        }
        if let type = expectation.type, let problem = Self.typeProblem(token.headerString("typ"), expected: type) {
            fail(problem)
        }
        let missing = expectation.requiredClaims.filter { token.claims[$0] == nil }
        if !missing.isEmpty {
            fail("lacks required claim\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
        }
        if let issuer, token.claims["iss"] != .string(issuer) {
            fail("iss: expected \(described(issuer, expectation.issuer)), got \(Self.seen(token.claims["iss"]))")
        }
        if let audience, !Self.audienceContains(token.claims["aud"], audience) {
            fail(
                "aud: expected \(described(audience, expectation.audience)) or an array containing it, got \(Self.seen(token.claims["aud"]))"
            )
        }
        for (index, claim) in claims.enumerated() where token.claims[claim.name] != claim.value {
            var expected = claim.value.seenDescription
            if case .template(let template) = expectation.claims[index].value, !template.isLiteral {
                expected += " (\(template.source))"
            }
            fail("claim \(claim.name): expected \(expected), got \(Self.seen(token.claims[claim.name]))")
        }
        for (name, pattern) in expectation.claimPatterns {
            guard case .string(let claim)? = token.claims[name] else {
                fail("claim \(name): expected a string matching \(pattern), got \(Self.seen(token.claims[name]))")
                continue
            }
            do {
                if try !pattern.matches(in: claim, deadline: response.deadline) {
                    fail("claim \(name): expected a string matching \(pattern), got \(JSONValue.quoted(claim))")
                }
            } catch {
                fail("claim \(name): a string of \(claim.unicodeScalars.count) characters: \(error)")
            }
        }
        findings += idTokenFindings(token, response: response).map { .failure(.idTokenClaims, "\(path): JWT \($0)", location: .field(path.description)) }
        findings += timeFindings(token, response: response)
        return findings
    }

    /// The `alg` allowed (never `none`), then the signature with a key that fits it.
    private func algorithmAndSignature(_ token: JSONWebToken) -> [String] {
        let alg = token.algorithm
        if alg.lowercased() == "none" { return ["alg \"none\": an unsigned token is never accepted"] }
        if let allowed = expectation.algorithms, !allowed.contains(alg) {
            return ["alg \(JSONValue.quoted(alg)) is not allowed (allowed: \(allowed.joined(separator: ", ")))"]
        }
        let kid = token.headerString("kid")
        let named = "(\(alg)\(kid.map { ", kid \(JSONValue.quoted($0))" } ?? ""))"
        switch keys {
        case .none, .unavailable:
            return []
        case .failed(let why):
            return ["signature \(named) not verified: \(why)"]
        case .secret(let secret):
            guard let algorithm = JWTAlgorithm(rawValue: alg), algorithm.isHMAC else {
                return ["alg \(JSONValue.quoted(alg)) does not fit the suite's hmac_secret (HS256, HS384, HS512 only)"]
            }
            return algorithm.verify(token.signature, over: token.signingInput, with: .secret(secret))
                ? [] : ["signature \(named) does not verify with the suite's hmac_secret"]
        case .keySet(let set, let origin):
            guard let algorithm = JWTAlgorithm(rawValue: alg) else {
                return ["alg \(JSONValue.quoted(alg)) is not one conform verifies"]
            }
            if algorithm.isHMAC {
                return [
                    "alg \(alg) needs a shared secret: a public key from \(origin) cannot verify it (no RS/HS confusion)"
                ]
            }
            switch set.candidates(for: algorithm, keyID: kid) {
            case .failure(let error):
                return ["signature \(named) not verified: \(error) (\(origin))"]
            case .success(let candidates):
                let verified = candidates.contains {
                    algorithm.verify(token.signature, over: token.signingInput, with: $0.material)
                }
                return verified ? [] : ["signature \(named) does not verify with \(origin)"]
            }
        }
    }

    func described(_ value: String, _ template: Template?) -> String {
        guard let template, !template.isLiteral else { return JSONValue.quoted(value) }
        return "\(JSONValue.quoted(value)) (\(template.source))"
    }

    /// A claim as seen: `string "x"`, `number 3`, or `nothing (no such claim)`.
    static func seen(_ value: JSONValue?) -> String {
        value?.seenDescription ?? "nothing (no such claim)"
    }

    static func audienceContains(_ aud: JSONValue?, _ expected: String) -> Bool {
        switch aud {
        case .string(let value): value == expected
        case .array(let items): items.contains(.string(expected))
        default: false
        }
    }

    /// `typ` compared case-insensitively, `application/` optional on either side (RFC 7515 §4.1.9).
    static func typeProblem(_ typ: String?, expected: String) -> String? {
        func bare(_ text: String) -> String {
            let lower = text.lowercased()
            return lower.hasPrefix("application/") ? String(lower.dropFirst("application/".count)) : lower
        }
        guard let typ else { return "typ: expected \(JSONValue.quoted(expected)), got no typ in the header" }
        return bare(typ) == bare(expected)
            ? nil : "typ: expected \(JSONValue.quoted(expected)), got \(JSONValue.quoted(typ))"
    }
}
