import ConformHTTP
import ConformJSON
import Foundation
import Crypto

/// A case with its references resolved: the request to send and the checks to make on the answer.
struct PreparedCase: Sendable {
    var request: PreparedRequest
    /// `POST http://…`: made once, shown for every sample.
    var requestLine: String
    var checks: [any Check]
    /// Checks from `warn`: their failures are reported as warnings.
    var warningChecks: [any Check]
    var warningReason: String?
    var noteIfHeld: String?
    var noteIfMissed: String?
    var failureReason: String?
    var observations: [any Check]
    var documentKind: ResponseDocument.Kind
    /// The request rendered anew, when it calls template functions (`${uuid()}`): every sample sends new values.
    var freshRequest: (@Sendable () -> PreparedRequest)?
    /// `skip_if`: checks that all hold on a response that the case cannot judge, and the skip reason.
    var skipChecks: [any Check] = []
    var skipReason: String?

    /// What one sample sends.
    func requestToSend() -> PreparedRequest { freshRequest?() ?? request }
}

/// Turns a case into a ``PreparedCase`` with the run's values, or says why it is skipped.
struct CasePreparer: Sendable {
    var compiled: CompiledSuite
    var baseURL: URL
    /// Where values derived from secrets (an `Authorization` header) are registered.
    var secrets: SecretStore

    var suite: Suite { compiled.suite }

    /// Why a case is not sent.
    enum Skip: Error, Sendable {
        /// Something it needs has no value (an optional variable, a capture an earlier case did not make):
        /// the case is skipped with this reason.
        case reason(String)
        /// The suite's own values do not make a request (a path that is no URL): a suite bug, so the case is
        /// an error and the run fails.
        case unsendable(String)
    }

    func prepare(_ testCase: TestCase, values: RunValues) throws(Skip) -> PreparedCase {
        let method = testCase.request?.clientAuth.flatMap { values.render($0.method) }
            .flatMap(ClientAuthMethod.init(rawValue:))
        let references = testCase.sendingReferences(clientAuthMethod: method)
        if let missing = references.first(where: { values.value(of: $0) == nil }) {
            throw .reason(skipReason(missing, values: values))
        }
        guard let template = testCase.request else { throw .reason("a comparison case sends no request of its own") }
        let request = try prepareRequest(template, values: values)
        // A client assertion is new for every sample too (its `jti` is unique).
        let callsFunctions =
            template.templates.contains { written in
                written.references.contains { segment in if case .function = segment { true } else { false } }
            } || method == .clientSecretJWT || method == .privateKeyJWT
        // Rendering cannot fail the second time: only the path could, and it rendered above.
        var fresh: (@Sendable () -> PreparedRequest)?
        if callsFunctions {
            fresh = { @Sendable [self] in (try? prepareRequest(template, values: values)) ?? request }
        }
        let kind = documentKind(testCase)
        let bodies = compiled.bodies(of: testCase)
        // A case that authenticates a client is held to what every such answer must show, whatever it expects
        // (judged like the TLS: its messages carry their own sections).
        let clientChecks: [any Check] =
            template.clientAuth == nil
            ? [] : [ClientAuthenticationCheck(sentBasic: method == .clientSecretBasic)]
        return PreparedCase(
            request: request, requestLine: request.summary,
            checks: CheckRegistry.checks(for: testCase.expect, body: bodies.expect, values: values),
            warningChecks: testCase.warn.map { CheckRegistry.checks(for: $0, body: bodies.warn, values: values) } ?? [],
            warningReason: testCase.warn?.reason,
            noteIfHeld: testCase.warn?.noteIfHeld, noteIfMissed: testCase.warn?.noteIfMissed,
            failureReason: testCase.expect.reason,
            // What every exchange is judged by, whatever the case expects: the target's TLS, and what its
            // phases show.
            observations: testCase.observations.map {
                ObservationCheck(path: $0.field, reference: $0.compareTo, resolved: values.render($0.compareTo))
            } + clientChecks + [TLSCheck(policy: suite.tlsPolicy), PhaseDiagnosis()],
            documentKind: kind, freshRequest: fresh,
            skipChecks: testCase.skipIf.map { CheckRegistry.checks(for: $0, body: nil, values: values) } ?? [],
            skipReason: testCase.skipIf?.reason)
    }

    private func skipReason(_ segment: Template.Segment, values: RunValues) -> String {
        switch segment {
        case .variable(let name):
            let variable = values.unset[name]
            let environment = variable?.environmentNames ?? []
            let source = environment.isEmpty ? "" : " (\(environment.joined(separator: ", ")))"
            return "variable '\(name)'\(source) is not set"
        case .capture(let name):
            let owner = suite.cases.first { $0.captures.contains { $0.name == name } }
            if let owner, let outcome = values.outcomes[owner.name], outcome == .errored || outcome == .skipped {
                // The earlier case got no response to capture from: say that, not that the response lacked it.
                let ending = outcome == .errored ? "ended in an error" : "was skipped"
                return "needs ${\(name)}, which case '\(owner.name)' could not capture: it \(ending)"
            }
            guard let capture = owner?.captures.first(where: { $0.name == name }), capture.optional else {
                return "needs ${\(name)}, which case '\(owner?.name ?? "?")' did not capture"
            }
            if case .field(let path) = capture.source, let wanted = capture.contains {
                return "needs ${\(name)}: the response to '\(owner?.name ?? "?")' does not list \(JSONValue.quoted(wanted)) in \(path) (optional there)"
            }
            let what: String
            switch capture.source {
            case .field(let path): what = "field \(path)"
            case .header(let header): what = "header \(header)"
            }
            return "needs ${\(name)}, and the response to '\(owner?.name ?? "?")' had no \(what) (optional there)"
        case .literal, .environment, .function:
            return "a reference has no value"
        }
    }

    private func prepareRequest(_ template: RequestTemplate, values: RunValues) throws(Skip) -> PreparedRequest {
        // Every reference has a value (checked above), so rendering cannot fail here.
        let path = values.render(template.path) ?? template.path.source
        let query = template.query.map { ($0.name, values.render($0.value) ?? "") }
        // A path on the base URL, or an absolute http(s) URL on an origin the user named (``CaseURL``).
        let url: URL
        switch CaseURL.url(
            path, base: baseURL, query: query,
            trusted: CaseURL.trustedOrigins(base: baseURL, variables: values.variables))
        {
        case .success(let target): url = target
        case .failure(let problem): throw .unsendable(problem.description)
        }
        var headers = template.headers.map { (name: $0.name, value: values.render($0.value) ?? "") }
        var body: Data?
        var contentType: String?
        var formFields = template.body.flatMap { body -> [(String, String)]? in
            guard case .form(let fields) = body else { return nil }
            return fields.map { ($0.name, values.render($0.value) ?? "") }
        }
        if let auth = template.clientAuth {
            // The method was checked before the run; an unknown one cannot reach here.
            let method = values.render(auth.method).flatMap(ClientAuthMethod.init(rawValue:)) ?? .clientSecretBasic
            let id = values.render(auth.clientID) ?? ""
            let secret = auth.clientSecret.flatMap(values.render) ?? ""
            switch method {
            case .clientSecretBasic:
                let credentials = ClientAuthentication.basicCredentials(id: id, secret: secret)
                secrets.add(credentials, origin: "the client's Authorization header")
                headers.append((name: "Authorization", value: "Basic \(credentials)"))
            case .clientSecretPost:
                formFields = (formFields ?? []) + [("client_id", id), ("client_secret", secret)]
            case .none:
                formFields = (formFields ?? []) + [("client_id", id)]
            case .clientSecretJWT, .privateKeyJWT:
                let assertion = try clientAssertion(auth, method: method, id: id, secret: secret, url: url, values: values)
                secrets.add(assertion, origin: "the client assertion")
                formFields =
                    (formFields ?? []) + [
                        ("client_assertion_type", ClientAssertion.type), ("client_assertion", assertion),
                    ]
            }
        }
        switch template.body {
        case .json(let json):
            body = render(json, values: values).encoded()
            contentType = "application/json"
        case .form:
            break
        case .text(let text):
            body = Data((values.render(text) ?? "").utf8)
        case nil:
            break
        }
        if let formFields {
            body = Data(ClientAuthentication.formEncoded(formFields).utf8)
            contentType = "application/x-www-form-urlencoded"
        }
        if let contentType, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append((name: "Content-Type", value: contentType))
        }
        return PreparedRequest(method: template.method, url: url, headers: headers, body: body)
    }

    /// The signed assertion for `client_secret_jwt` (the secret as an HMAC key) or `private_key_jwt` (the key
    /// read when the run was planned). A key that is missing here was reported before the run; the case is
    /// skipped with the reason rather than sent unauthenticated.
    private func clientAssertion(
        _ auth: ClientAuthTemplate, method: ClientAuthMethod, id: String, secret: String, url: URL,
        values: RunValues
    ) throws(Skip) -> String {
        let key: ClientSigningKey
        if method == .privateKeyJWT {
            guard let path = auth.privateKey.flatMap(values.render), let loaded = values.clientKeys[path] else {
                throw .reason("the private key of client_auth was not read")
            }
            key = loaded
        } else {
            key = ClientSigningKey(material: .secret(.init(data: Data(secret.utf8))), keyID: nil)
        }
        // Checked before the run: a named algorithm fits the key.
        let algorithm = auth.algorithm.flatMap(values.render).flatMap(JWTAlgorithm.init(rawValue:)) ?? key.defaultAlgorithm
        let audience = auth.audience.flatMap(values.render) ?? ClientAssertion.audience(of: url)
        do {
            return try ClientAssertion(clientID: id, audience: audience, algorithm: algorithm, key: key).token()
        } catch {
            throw .reason("the client assertion could not be signed with \(algorithm.rawValue)")
        }
    }

    private func render(_ json: JSONTemplate, values: RunValues) -> JSONValue {
        switch json {
        case .object(let members):
            var object: [String: JSONValue] = [:]
            for member in members { object[member.key] = render(member.value, values: values) }
            return .object(object)
        case .array(let items): return .array(items.map { render($0, values: values) })
        case .string(let template): return .string(values.render(template) ?? "")
        case .literal(let value): return value
        }
    }

    /// A budget's value; `nil` when its variable does not hold a positive number (reported before the run).
    static func milliseconds(_ budget: LatencyBudget, values: RunValues) -> Double? {
        switch budget {
        case .milliseconds(let value): return value
        case .template(let template):
            guard let text = values.render(template), let value = Double(text.trimmingCharacters(in: .whitespaces)),
                value > 0, value.isFinite
            else { return nil }
            return value
        }
    }

    private func documentKind(_ testCase: TestCase) -> ResponseDocument.Kind {
        if let kind = compiled.bodies(of: testCase).documentKind { return kind }
        let blocks = [testCase.expect] + (testCase.warn.map { [$0] } ?? []) + (testCase.skipIf.map { [$0] } ?? [])
        let needsFields =
            blocks.contains { !$0.fields.isEmpty || $0.judgesJSONBody } || !testCase.observations.isEmpty
            || testCase.captures.contains { if case .field = $0.source { true } else { false } }
        return needsFields ? .json : .none
    }
}
