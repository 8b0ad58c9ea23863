"""An OpenID Provider's token side built on Authlib and Flask, for proving suites/oidc.json against a server that
conform's authors did not write.

    python3 Tests/authlib/oidc_server.py --auth client_secret_post

Serves on 127.0.0.1 with a free port: discovery (/.well-known/openid-configuration, the metadata validated by
Authlib's own authlib.oidc.discovery.OpenIDProviderMetadata, and the same at RFC 8414's
/.well-known/oauth-authorization-server), a JWK Set (/jwks, an RSA key made at start),
POST /oauth/token (client_credentials and refresh_token with rotation; RFC 9068 JWT access tokens from
authlib.oauth2.rfc9068; on refresh with the openid scope an ID token from authlib.oidc.core's
generate_id_token, at_hash included), POST /oauth/revoke (RFC 7009) and POST /oauth/introspect (RFC 7662).
It prints, one NAME=VALUE a line, CONFORM_BASE_URL and the OIDC_* variables of suites/oidc.json, then
"READY". Every token Authlib issues is written to standard error as "issued NAME=VALUE", and the client
secret and the private key's "d" as "secret NAME=VALUE", so that a test can look for them in conform's
outputs. The server exits when its standard input closes.

Every answer is Authlib's own except what a deployment must decide: the client registry, token storage
(in memory), the grants, the client authentication methods (both of AUTH_METHODS at every endpoint: the
client may use both), refresh token rotation (as in server.py), and
which endpoints the metadata advertises.
"""

import argparse
import warnings
import logging
import os
import secrets
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import server as base  # noqa: E402  the OAuth 2.0 server's client, token store and grants

from authlib.integrations.flask_oauth2 import AuthorizationServer  # noqa: E402
from authlib.deprecate import AuthlibDeprecationWarning  # noqa: E402

# Authlib 1.x deprecates authlib.jose (for joserfc) and shows every note; the server uses it as documented.
warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)
from authlib.jose import JsonWebKey  # noqa: E402
from authlib.oauth2.rfc6749.util import scope_to_list  # noqa: E402
from authlib.oauth2.rfc7009 import RevocationEndpoint  # noqa: E402
from authlib.oauth2.rfc7662 import IntrospectionEndpoint  # noqa: E402
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata  # noqa: E402
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator  # noqa: E402
from authlib.oidc.core.grants.util import generate_id_token  # noqa: E402
from authlib.oidc.discovery import OpenIDProviderMetadata  # noqa: E402
from authlib.common.security import generate_token  # noqa: E402
from flask import Flask, jsonify  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402


AUTH_METHODS = base.AUTH_METHODS
CLIENT_SCOPE = "openid read"
KEY = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": "authlib-oidc-1"})


class User:
    def __init__(self, user_id):
        self.user_id = user_id

    def get_user_id(self):
        return self.user_id


class Client(base.Client):
    """The client may use either method everywhere: the metadata advertises both, and suites/oidc.json tries
    each (OIDC_CLIENT_AUTH still picks the one for revocation and introspection)."""

    def check_endpoint_auth_method(self, method, endpoint):
        return method in AUTH_METHODS


class AccessTokens(JWTBearerTokenGenerator):
    def get_jwks(self):
        return {"keys": [KEY.as_dict(is_private=True, alg="RS256", use="sig")]}


class ClientCredentialsGrant(base.ClientCredentialsGrant):
    pass


class RefreshTokenGrant(base.RefreshTokenGrant):
    ISSUER = ""

    def create_token_response(self):
        status, body, headers = super().create_token_response()
        if status == 200 and "openid" in scope_to_list(body.get("scope", "")):
            user = self.request.user
            body["id_token"] = generate_id_token(
                body, {"sub": user.get_user_id()}, KEY.as_dict(is_private=True), iss=self.ISSUER,
                aud=[self.request.client.get_client_id()], alg="RS256", kid=KEY.as_dict()["kid"],
                auth_time=int(time.time()))
            print(f"issued id_token={body['id_token']}", file=sys.stderr, flush=True)
        return status, body, headers


def find(token_text):
    with base.lock:
        for token in base.tokens:
            if token_text in (token.access_token, token.refresh_token):
                return token
    return None


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = list(AUTH_METHODS)

    def query_token(self, token_string, token_type_hint):
        return find(token_string)

    def revoke_token(self, token, request):
        with base.lock:
            token.revoked = True


class Introspection(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = list(AUTH_METHODS)

    def query_token(self, token_string, token_type_hint):
        return find(token_string)

    def introspect_token(self, token):
        return {
            "active": True, "client_id": token.client_id, "token_type": "Bearer", "scope": token.get_scope(),
            "sub": token.user.get_user_id() if token.user else token.client_id, "iss": RefreshTokenGrant.ISSUER,
            "exp": int(token.issued_at + token.expires_in), "iat": int(token.issued_at),
        }

    def check_permission(self, token, client, request):
        return True


def create_app(auth_method, issuer):
    app = Flask(__name__)
    RefreshTokenGrant.ISSUER = issuer
    server = AuthorizationServer(app, query_client=base.query_client, save_token=base.save_token)
    server.register_token_generator(
        "default", AccessTokens(issuer=issuer, refresh_token_generator=lambda **_: generate_token(48)))
    server.register_grant(ClientCredentialsGrant)
    server.register_grant(RefreshTokenGrant)
    server.register_endpoint(Revocation)
    server.register_endpoint(Introspection)

    client = Client(
        client_id="authlib-oidc-client-" + secrets.token_urlsafe(6),
        client_secret="oidc-secret-" + secrets.token_urlsafe(24),
        auth_method=auth_method,
        scope=CLIENT_SCOPE,
        grant_types=["client_credentials", "refresh_token"],
    )
    base.clients[client.client_id] = client

    members = {
        "issuer": issuer,
        "authorization_endpoint": issuer + "/oauth/authorize",
        "token_endpoint": issuer + "/oauth/token",
        "jwks_uri": issuer + "/jwks",
        "revocation_endpoint": issuer + "/oauth/revoke",
        "introspection_endpoint": issuer + "/oauth/introspect",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "grant_types_supported": ["client_credentials", "refresh_token"],
        "scopes_supported": ["openid", "read"],
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
    }
    metadata = OpenIDProviderMetadata(members)
    metadata.validate()
    # The same document as RFC 8414 metadata, which Authlib also validates.
    server_metadata = AuthorizationServerMetadata(members)
    server_metadata.validate()

    @app.route("/.well-known/openid-configuration")
    def discovery():
        return jsonify(dict(metadata))

    @app.route("/.well-known/oauth-authorization-server")
    def server_metadata_document():
        return jsonify(dict(server_metadata))

    @app.route("/jwks")
    def jwks():
        return jsonify({"keys": [KEY.as_dict(is_private=False, alg="RS256", use="sig")]})

    @app.route("/oauth/token", methods=["POST"])
    def issue_token():
        return server.create_token_response()

    @app.route("/oauth/revoke", methods=["POST"])
    def revoke():
        return server.create_endpoint_response(Revocation.ENDPOINT_NAME)

    @app.route("/oauth/introspect", methods=["POST"])
    def introspect():
        return server.create_endpoint_response(Introspection.ENDPOINT_NAME)

    # A refresh token the resource owner "alice" granted this client earlier, with openid, made by Authlib's
    # own generator like every other token.
    alice = User("alice")
    earlier = base.Token(server.generate_token("authorization_code", client, user=alice, scope=CLIENT_SCOPE),
                         client.client_id, alice)
    base.store(earlier)
    return app, client, earlier.refresh_token


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--auth", choices=AUTH_METHODS, default="client_secret_basic",
                        help="how the client authenticates at the token endpoint")
    arguments = parser.parse_args()
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    http = make_server("127.0.0.1", 0, None, threaded=True)
    issuer = f"http://127.0.0.1:{http.server_port}"
    app, client, refresh_token = create_app(arguments.auth, issuer)
    http.app = app
    print(f"secret client_secret={client.client_secret}", file=sys.stderr)
    print(f"secret key_d={KEY.as_dict(is_private=True)['d']}", file=sys.stderr, flush=True)
    print(f"CONFORM_BASE_URL={issuer}")
    print(f"OIDC_ISSUER={issuer}")
    print(f"OIDC_CLIENT_ID={client.client_id}")
    print(f"OIDC_CLIENT_SECRET={client.client_secret}")
    print(f"OIDC_CLIENT_AUTH={arguments.auth}")
    print(f"OIDC_SCOPE={CLIENT_SCOPE}")
    print(f"OIDC_REFRESH_TOKEN={refresh_token}")
    print("READY", flush=True)
    threading.Thread(target=base.exit_when_stdin_closes, daemon=True).start()
    http.serve_forever()


if __name__ == "__main__":
    main()
