import ConformSupport
/// The RFC 6749 shapes conform ships as named models (`rfc6749.token`, `rfc6749.error`): JSON Schemas, the
/// same text as `suites/schemas/rfc6749/*.schema.json` (a test keeps them equal), compiled into conform so
/// that a suite anywhere can name them.
enum RFC6749Schemas {
    static let token = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "rfc6749.token",
  "description": "An OAuth 2.0 access token response (RFC 6749 §5.1, with RFC 6750 for token_type Bearer). access_token and token_type are required; expires_in, refresh_token and scope are optional. Extension parameters are allowed (§5.1: clients ignore the ones they do not know).",
  "type": "object",
  "required": ["access_token", "token_type"],
  "properties": {
    "access_token": { "description": "RFC 6749 §5.1: REQUIRED.", "type": "string", "minLength": 1 },
    "token_type": { "description": "RFC 6749 §5.1 and §7.1: REQUIRED, case-insensitive.", "type": "string", "minLength": 1 },
    "expires_in": { "description": "RFC 6749 §5.1: RECOMMENDED, the lifetime in seconds.", "type": "integer", "minimum": 0 },
    "refresh_token": { "description": "RFC 6749 §5.1: OPTIONAL.", "type": "string", "minLength": 1 },
    "scope": {
      "description": "RFC 6749 §3.3: space-delimited scope tokens (%x21 / %x23-5B / %x5D-7E).",
      "type": "string",
      "pattern": "^[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$"
    }
  }
}
"""#

    static let error = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "rfc6749.error",
  "description": "An OAuth 2.0 error response (RFC 6749 §5.2): error is REQUIRED and one of the registered codes; error_description and error_uri are OPTIONAL, in restricted ASCII.",
  "type": "object",
  "required": ["error"],
  "properties": {
    "error": {
      "description": "RFC 6749 §5.2: REQUIRED, a registered code.",
      "enum": ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"]
    },
    "error_description": {
      "description": "RFC 6749 §5.2: OPTIONAL, %x20-21 / %x23-5B / %x5D-7E.",
      "type": "string",
      "pattern": "^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$"
    },
    "error_uri": { "description": "RFC 6749 §5.2: OPTIONAL, a URI.", "type": "string", "format": "uri" }
  }
}
"""#
}
