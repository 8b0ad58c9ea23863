import Foundation

/// The stable identity of what a finding is about: the JUnit `type`, the key of a baseline entry and the
/// `check` of `--format json`. The list is closed: ``CheckID/all`` is every identity conform can produce,
/// and docs/reports.md has one table of them, tested against this list.
///
/// The raw value is dotted and stable (`field.equals`, `header.challenge`); renaming one breaks every
/// baseline that names it. The ``label`` is the word the console shows in brackets (`failure [field]: …`),
/// kept from before identities existed so that the console reads as it did.
struct CheckID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    let rawValue: String
    /// The console's word for the check: `failure [field]: …`.
    let label: String
    /// One line for the documentation table.
    let summary: String

    init(_ rawValue: String, label: String, _ summary: String) {
        self.rawValue = rawValue
        self.label = label
        self.summary = summary
    }

    /// One of ``all``, by its raw value.
    init?(rawValue: String) {
        guard let found = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = found
    }

    var description: String { rawValue }

    static func == (left: CheckID, right: CheckID) -> Bool { left.rawValue == right.rawValue }
    func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// A transport error turned into a known deviation by the baseline: identity `error`, shown as
    /// `error:<kind>` as before.
    static func transportError(_ kind: String) -> CheckID {
        CheckID(error.rawValue, label: "error:\(kind)", error.summary)
    }
}

extension CheckID {
    static let status = CheckID("status", label: "status", "the response status is one of those expected")
    static let contentType = CheckID(
        "content-type", label: "content-type", "the response's Content-Type is the media type expected")
    static let bodySchema = CheckID("body.schema", label: "body", "the JSON body is valid under its JSON Schema")
    static let bodyModel = CheckID("body.model", label: "body", "the JSON body fits its documented JSON model")
    static let bodyXMLSchema = CheckID(
        "body.xml-schema", label: "xml-schema", "the XML body is well-formed and valid under its XSD")
    static let fieldNonEmpty = CheckID("field.non-empty", label: "field", "a field is a non-empty string")
    static let fieldAbsent = CheckID("field.absent", label: "field", "a field is not in the body")
    static let fieldType = CheckID("field.type", label: "field", "a field has the type expected (an integer)")
    static let fieldDiffers = CheckID(
        "field.differs", label: "field", "a field differs from a value sent or captured before")
    static let fieldJWT = CheckID("field.jwt", label: "field", "a field is shaped like a JWT")
    static let fieldEquals = CheckID(
        "field.equals", label: "field", "a field equals a value (or a template, or ignoring case)")
    static let fieldRange = CheckID(
        "field.range", label: "field", "a number is above, at least or below a bound")
    static let fieldMatches = CheckID("field.matches", label: "field", "a string field matches a pattern")
    static let fieldOneOf = CheckID("field.one-of", label: "field", "a field is one of the values listed")
    static let fieldDate = CheckID("field.date", label: "field", "a field is a date in a format (in the future)")
    static let fieldContains = CheckID("field.contains", label: "field", "an array field contains a value")
    static let fieldScope = CheckID(
        "field.scope", label: "field", "a space-delimited scope is among, or equal to, the scopes written")
    static let headerToken = CheckID(
        "header.token", label: "header", "a header's comma-separated list holds a token")
    static let headerAbsent = CheckID("header.absent", label: "header", "a header is not in the response")
    static let headerMatches = CheckID("header.matches", label: "header", "a header's value matches a pattern")
    static let headerChallenge = CheckID(
        "header.challenge", label: "header", "a header holds a challenge with an authentication scheme")
    static let jwtShape = CheckID("jwt.shape", label: "jwt", "a field holds a JWT that decodes")
    static let jwtSignature = CheckID(
        "jwt.signature", label: "jwt", "a JWT's alg is allowed and its signature verifies")
    static let jwtKeys = CheckID("jwt.keys", label: "jwt", "why a JWT's signature could not be verified")
    static let jwtClaims = CheckID("jwt.claims", label: "jwt", "a JWT's typ, iss, aud and claims")
    static let jwtTime = CheckID("jwt.time", label: "jwt", "a JWT's exp, iat, nbf and lifetime")
    static let idTokenClaims = CheckID(
        "id-token.claims", label: "jwt", "an ID token's at_hash matches the access token; azp names the client")
    static let clientAuthChallenge = CheckID(
        "client-auth.challenge", label: "client-auth",
        "a 401 carries a challenge; a failed Basic authentication gets 401 with a Basic challenge")
    static let jwks = CheckID(
        "jwks", label: "jwks", "a JWK Set's keys are readable, unique, coherent and publish no private member")
    static let oidcMetadata = CheckID(
        "oidc.metadata", label: "oidc-metadata",
        "discovery metadata: required members, the issuer, https, algorithms, the grants served")
    static let tlsVersion = CheckID("tls.version", label: "tls", "the TLS version is at least the minimum")
    static let tlsExpiry = CheckID("tls.expiry", label: "tls", "the certificate does not expire soon")
    static let tlsInsecure = CheckID("tls.insecure", label: "tls", "--insecure: certificates were not verified")
    static let latencyBudget = CheckID("latency.budget", label: "latency", "one exchange within its budget")
    static let latencyObjective = CheckID(
        "latency.objective", label: "latency-objective", "a latency statistic over the samples within its objective")
    static let latencyComparison = CheckID(
        "latency.comparison", label: "comparison", "one case's latency statistic below another's")
    static let samples = CheckID("samples", label: "samples", "samples of a repeated case failed or had errors")
    static let samplesStopped = CheckID(
        "samples.stopped", label: "samples", "fewer samples were sent than planned: the time budget ran out")
    static let capture = CheckID("capture", label: "capture", "a value to capture is in the response")
    static let checksStopped = CheckID(
        "checks.stopped", label: "checks", "checks not made: the case's time budget or the run ran out")
    static let checksNotJudged = CheckID(
        "checks.not-judged", label: "checks",
        "checks of the body left out: the status failed and the body is unreadable")
    static let warnVerdict = CheckID(
        "warn.verdict", label: "warn", "the note a `warn` block gives when it held or missed, or was not judged")
    static let report = CheckID("report", label: "report", "a `report` entry: a value compared with another")
    static let connectionResent = CheckID(
        "connection.resent", label: "connection", "the request was sent again on a new connection")
    static let phases = CheckID("phases", label: "phases", "what the timing phases suggest (Nagle, SYN loss)")
    static let selection = CheckID("selection", label: "selection", "a case was run because another needs it")
    static let suiteNotLoaded = CheckID("suite.not-loaded", label: "suite", "a suite was not loaded")
    static let repeatSecrets = CheckID(
        "repeat", label: "repeat", "a case that sends a secret was sent once, or repeated with --repeat-secrets")
    static let baseline = CheckID("baseline", label: "baseline", "a known deviation no longer happens")
    static let error = CheckID("error", label: "error", "a transport error the baseline knows")

    /// Every identity, in the order of the documentation table.
    static let all: [CheckID] = [
        status, contentType, bodySchema, bodyModel, bodyXMLSchema, fieldNonEmpty, fieldAbsent, fieldType,
        fieldDiffers, fieldJWT, fieldEquals, fieldRange, fieldMatches, fieldOneOf, fieldDate, fieldContains,
        fieldScope, headerToken, headerAbsent, headerMatches, headerChallenge, jwtShape, jwtSignature, jwtKeys,
        jwtClaims, jwtTime, idTokenClaims, clientAuthChallenge, jwks, oidcMetadata, tlsVersion, tlsExpiry, tlsInsecure, latencyBudget, latencyObjective, latencyComparison, samples,
        samplesStopped, capture, checksStopped, checksNotJudged, warnVerdict, report, connectionResent, phases,
        selection,
        suiteNotLoaded, repeatSecrets, baseline, error,
    ]
}
