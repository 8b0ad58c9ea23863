import ConformJSON
import ConformSupport
import Foundation

/// What the assertion methods of `client_auth` need, checked when the run is planned, before anything is
/// sent: the member the method uses (`client_secret`, `private_key`), a key file that reads as a private key
/// of bounded size, an `alg` that fits the key. Keys are read once, kept in ``RunValues/clientKeys`` and
/// registered as secrets (the whole file, its PEM body and its JWK private members).
extension RunPlanner {
    func clientKeys(_ suite: Suite, cases: [TestCase], values: inout RunValues) -> [RunDiagnostic] {
        var problems: [RunDiagnostic] = []
        var reported: Set<String> = []
        func report(_ key: String, _ template: Template?, _ auth: ClientAuthTemplate, _ message: String) {
            guard reported.insert("\(key) \(template?.source ?? auth.method.source) \(message)").inserted else { return }
            var location = auth.keyLocations[key] ?? auth.location
            if case .variable(let name)? = template?.references.first, template?.references.count == 1,
                let variable = suite.variable(named: name)
            {
                location = variable.location
            }
            problems.append(RunDiagnostic(Diagnostic(file: suite.file, location: location, message: message)))
        }
        for testCase in cases {
            guard let auth = testCase.request?.clientAuth, let rendered = values.render(auth.method),
                let method = ClientAuthMethod(rawValue: rendered)
            else { continue }
            if method.neededMember == "client_secret", auth.clientSecret == nil {
                report(
                    "method", auth.method, auth,
                    "client authentication \(auth.method.source) is \(method.rawValue), which needs 'client_secret' in 'client_auth'"
                )
            }
            guard method == .privateKeyJWT || method == .clientSecretJWT else { continue }
            var key: ClientSigningKey?
            if method == .privateKeyJWT {
                guard let template = auth.privateKey else {
                    report(
                        "method", auth.method, auth,
                        "client authentication \(auth.method.source) is private_key_jwt, which needs 'private_key' (a PEM or JWK file) in 'client_auth'"
                    )
                    continue
                }
                guard let path = values.render(template) else { continue }
                switch loadKey(path, template: template, suite: suite, into: &values) {
                case .success(let loaded): key = loaded
                case .failure(let error):
                    report("private_key", template, auth, "private key \(JSONValue.quoted(path, limit: 4096)): \(error)")
                    continue
                }
            }
            guard let template = auth.algorithm, let name = values.render(template) else { continue }
            guard let algorithm = JWTAlgorithm(rawValue: name) else {
                report("alg", template, auth, "'alg' \(JSONValue.quoted(name)) is not one of \(JWTAlgorithm.names)")
                continue
            }
            let allowed = key?.algorithms ?? [.hs256, .hs384, .hs512]
            if !allowed.contains(algorithm) {
                let signer = key.map { "the private key (\($0.material.kind))" } ?? "client_secret_jwt"
                report(
                    "alg", template, auth,
                    "'alg' \(name) cannot sign with \(signer); use \(allowed.map(\.rawValue).joined(separator: ", "))")
            }
        }
        return problems
    }

    /// A key file read once per path: relative to the current directory when the path comes from a variable,
    /// to the suite's folder when it is written in the suite.
    private func loadKey(
        _ path: String, template: Template, suite: Suite, into values: inout RunValues
    ) -> Result<ClientSigningKey, ClientKeyFileError> {
        if let known = values.clientKeys[path] { return .success(known) }
        let directory = URL(fileURLWithPath: suite.file).deletingLastPathComponent()
        let url =
            template.isLiteral
            ? URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL : URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try InputFile.read(url.path, limit: ClientSigningKey.maximumBytes)
        } catch .tooLarge {
            return .failure(.key(.tooLarge))
        } catch {
            return .failure(.file(error))
        }
        // Masked before anything could show it, whether or not it reads as a key.
        let text = String(decoding: data, as: UTF8.self)
        secrets.add(text, origin: "the private key \(path)")
        for part in ClientSigningKey.secretParts(of: text) { secrets.add(part, origin: "the private key \(path)") }
        do {
            let key = try ClientSigningKey.read(data)
            values.clientKeys[path] = key
            return .success(key)
        } catch {
            return .failure(.key(error))
        }
    }
}

/// Why a `private_key` file gives no key: it could not be read, or it is not a private key.
enum ClientKeyFileError: Error, CustomStringConvertible {
    case file(InputFileError)
    case key(ClientKeyError)

    var description: String {
        switch self {
        case .file(let error): "\(error)"
        case .key(let error): "\(error)"
        }
    }
}
