import ConformJSON
import ConformSupport
import Foundation

extension SuiteFileReader {
    /// `"client_auth"`: a method (a name, or a `${variable}` checked before sending) and the credentials:
    /// `client_secret`, or `private_key` for `private_key_jwt`; `alg` and `audience` for the assertion methods.
    /// A member the method does not use is left alone: blocks share one `client_auth` among methods.
    func readClientAuth(_ object: ObjectReader, body: RequestBodyTemplate?) -> ClientAuthTemplate? {
        let method = object.node("method", required: true).flatMap { readTemplate($0, key: "method", scope: .testCase) }
        var literal: ClientAuthMethod?
        if let method, method.isLiteral {
            literal = ClientAuthMethod(rawValue: method.source)
            if literal == nil {
                sink.error(
                    "unknown client authentication \(JSONValue.quoted(method.source)) (one of \(ClientAuthMethod.names))",
                    at: object.node("method")?.location)
                return nil
            }
        }
        func member(_ key: String, required: Bool = false) -> Template? {
            object.node(key, required: required).flatMap { readTemplate($0, key: key, scope: .testCase) }
        }
        let id = member("client_id", required: true)
        let secret = member("client_secret", required: literal.map { $0.neededMember == "client_secret" } ?? false)
        let key = member("private_key", required: literal == .privateKeyJWT)
        let algorithm = member("alg")
        let audience = member("audience")
        if let algorithm, algorithm.isLiteral {
            guard let named = JWTAlgorithm(rawValue: algorithm.source) else {
                sink.error(
                    "'alg' \(JSONValue.quoted(algorithm.source)) is not one of \(JWTAlgorithm.names)",
                    at: object.node("alg")?.location)
                return nil
            }
            if let literal, (literal == .clientSecretJWT) != named.isHMAC {
                sink.error(
                    "'alg' \(named.rawValue) cannot sign a \(literal.rawValue) assertion (\(literal == .clientSecretJWT ? "HS256, HS384 or HS512" : "an asymmetric algorithm"))",
                    at: object.node("alg")?.location)
                return nil
            }
        }
        switch body {
        case .json, .text:
            sink.error(
                "'client_auth' needs a form body or none (client_secret_post sends the credentials as form fields)",
                at: object.location)
            return nil
        case .form, nil:
            break
        }
        guard let method, let id else { return nil }
        if literal?.neededMember == "client_secret" && secret == nil { return nil }
        if literal == .privateKeyJWT && key == nil { return nil }
        var locations: [String: SourceLocation] = [:]
        for name in Keys.clientAuth { if let node = object.node(name) { locations[name] = node.location } }
        return ClientAuthTemplate(
            method: method, clientID: id, clientSecret: secret, privateKey: key, algorithm: algorithm,
            audience: audience, location: object.location, keyLocations: locations)
    }
}
