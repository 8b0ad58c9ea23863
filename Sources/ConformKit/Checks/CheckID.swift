import Foundation

/// The stable identity of what a finding is about: the JUnit `type`, the key of a baseline entry and the
/// `check` of `--format json`. The list is closed: ``CheckID/all`` is every identity conform can produce,
/// and docs/reports.md has one table of them, tested against this list.
///
/// The raw value is dotted and stable (`field.equals`, `header.challenge`); renaming one breaks every
/// baseline that names it. The ``label`` is the word the console shows in brackets (`failure [field]: …`),
/// kept from before identities existed so that the console reads as it did.
public struct CheckID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    /// The console's word for the check: `failure [field]: …`.
    public let label: String
    /// One line for the documentation table.
    public let summary: String

    init(_ rawValue: String, label: String, _ summary: String) {
        self.rawValue = rawValue
        self.label = label
        self.summary = summary
    }

    /// One of ``all``, by its raw value.
    public init?(rawValue: String) {
        guard let found = Self.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = found
    }

    public var description: String { rawValue }

    public static func == (left: CheckID, right: CheckID) -> Bool { left.rawValue == right.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// A transport error turned into a known deviation by the baseline: identity `error`, shown as
    /// `error:<kind>` as before.
    static func transportError(_ kind: String) -> CheckID {
        CheckID(error.rawValue, label: "error:\(kind)", error.summary)
    }
}

extension CheckID {
    public static let status = CheckID("status", label: "status", "the response status is one of those expected")
    public static let contentType = CheckID(
        "content-type", label: "content-type", "the response's Content-Type is the media type expected")
    public static let bodySchema = CheckID("body.schema", label: "body", "the JSON body is valid under its JSON Schema")
    public static let bodyModel = CheckID("body.model", label: "body", "the JSON body fits its documented JSON model")
    public static let bodyXMLSchema = CheckID(
        "body.xml-schema", label: "xml-schema", "the XML body is well-formed and valid under its XSD")
    public static let fieldNonEmpty = CheckID("field.non-empty", label: "field", "a field is a non-empty string")
    public static let fieldAbsent = CheckID("field.absent", label: "field", "a field is not in the body")
    public static let fieldType = CheckID("field.type", label: "field", "a field has the type expected (an integer)")
    public static let fieldDiffers = CheckID(
        "field.differs", label: "field", "a field differs from a value sent or captured before")
    public static let fieldJWT = CheckID("field.jwt", label: "field", "a field is shaped like a JWT")
    public static let fieldEquals = CheckID(
        "field.equals", label: "field", "a field equals a value (or a template, or ignoring case)")
    public static let fieldRange = CheckID(
        "field.range", label: "field", "a number is above, at least or below a bound")
    public static let fieldMatches = CheckID("field.matches", label: "field", "a string field matches a pattern")
    public static let fieldOneOf = CheckID("field.one-of", label: "field", "a field is one of the values listed")
    public static let fieldDate = CheckID("field.date", label: "field", "a field is a date in a format (in the future)")
    public static let fieldContains = CheckID("field.contains", label: "field", "an array field contains a value")
    public static let fieldScope = CheckID(
        "field.scope", label: "field", "a space-delimited scope is among, or equal to, the scopes written")
    public static let headerToken = CheckID(
        "header.token", label: "header", "a header's comma-separated list holds a token")
    public static let headerAbsent = CheckID("header.absent", label: "header", "a header is not in the response")
    public static let headerMatches = CheckID("header.matches", label: "header", "a header's value matches a pattern")
    public static let headerChallenge = CheckID(
        "header.challenge", label: "header", "a header holds a challenge with an authentication scheme")
    public static let jwtShape = CheckID("jwt.shape", label: "jwt", "a field holds a JWT that decodes")
    public static let jwtSignature = CheckID(
        "jwt.signature", label: "jwt", "a JWT's alg is allowed and its signature verifies")
    public static let jwtKeys = CheckID("jwt.keys", label: "jwt", "why a JWT's signature could not be verified")
    public static let jwtClaims = CheckID("jwt.claims", label: "jwt", "a JWT's typ, iss, aud and claims")
    public static let jwtTime = CheckID("jwt.time", label: "jwt", "a JWT's exp, iat, nbf and lifetime")
    public static let idTokenClaims = CheckID(
        "id-token.claims", label: "jwt", "an ID token's at_hash matches the access token; azp names the client")
    public static let clientAuthChallenge = CheckID(
        "client-auth.challenge", label: "client-auth",
        "a 401 carries a challenge; a failed Basic authentication gets 401 with a Basic challenge")
    public static let jwks = CheckID(
        "jwks", label: "jwks", "a JWK Set's keys are readable, unique, coherent and publish no private member")
    public static let oidcMetadata = CheckID(
        "oidc.metadata", label: "oidc-metadata",
        "discovery metadata: required members, the issuer, https, algorithms, the grants served")
    public static let tlsVersion = CheckID("tls.version", label: "tls", "the TLS version is at least the minimum")
    public static let tlsExpiry = CheckID("tls.expiry", label: "tls", "the certificate does not expire soon")
    public static let tlsInsecure = CheckID("tls.insecure", label: "tls", "--insecure: certificates were not verified")
    public static let latencyBudget = CheckID("latency.budget", label: "latency", "one exchange within its budget")
    public static let latencyObjective = CheckID(
        "latency.objective", label: "latency-objective", "a latency statistic over the samples within its objective")
    public static let latencyComparison = CheckID(
        "latency.comparison", label: "comparison", "one case's latency statistic below another's")
    public static let samples = CheckID("samples", label: "samples", "samples of a repeated case failed or had errors")
    public static let samplesStopped = CheckID(
        "samples.stopped", label: "samples", "fewer samples were sent than planned: the time budget ran out")
    public static let capture = CheckID("capture", label: "capture", "a value to capture is in the response")
    public static let checksStopped = CheckID(
        "checks.stopped", label: "checks", "checks not made: the case's time budget or the run ran out")
    public static let checksNotJudged = CheckID(
        "checks.not-judged", label: "checks",
        "checks of the body left out: the status failed and the body is unreadable")
    public static let warnVerdict = CheckID(
        "warn.verdict", label: "warn", "the note a `warn` block gives when it held or missed, or was not judged")
    public static let report = CheckID("report", label: "report", "a `report` entry: a value compared with another")
    public static let connectionResent = CheckID(
        "connection.resent", label: "connection", "the request was sent again on a new connection")
    public static let phases = CheckID("phases", label: "phases", "what the timing phases suggest (Nagle, SYN loss)")
    public static let selection = CheckID("selection", label: "selection", "a case was run because another needs it")
    public static let suiteNotLoaded = CheckID("suite.not-loaded", label: "suite", "a suite was not loaded")
    public static let repeatSecrets = CheckID(
        "repeat", label: "repeat", "a case that sends a secret was sent once, or repeated with --repeat-secrets")
    public static let baseline = CheckID("baseline", label: "baseline", "a known deviation no longer happens")
    public static let error = CheckID("error", label: "error", "a transport error the baseline knows")

    /// Every identity, in the order of the documentation table.
    public static let all: [CheckID] = [
        status, contentType, bodySchema, bodyModel, bodyXMLSchema, fieldNonEmpty, fieldAbsent, fieldType,
        fieldDiffers, fieldJWT, fieldEquals, fieldRange, fieldMatches, fieldOneOf, fieldDate, fieldContains,
        fieldScope, headerToken, headerAbsent, headerMatches, headerChallenge, jwtShape, jwtSignature, jwtKeys,
        jwtClaims, jwtTime, idTokenClaims, clientAuthChallenge, jwks, oidcMetadata, tlsVersion, tlsExpiry, tlsInsecure, latencyBudget, latencyObjective, latencyComparison, samples,
        samplesStopped, capture, checksStopped, checksNotJudged, warnVerdict, report, connectionResent, phases,
        selection,
        suiteNotLoaded, repeatSecrets, baseline, error,
    ]
}
