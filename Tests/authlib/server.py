"""A small OAuth 2.0 token endpoint built on Authlib and Flask, for proving suites/oauth2.json against a
server that conform's authors did not write.

    python3 Tests/authlib/server.py --auth client_secret_basic

Serves POST /oauth/token on 127.0.0.1 with a free port and prints, one NAME=VALUE a line:

    CONFORM_BASE_URL        the base URL to pass as --base-url
    OAUTH2_CLIENT_ID        a confidential client, registered for the method that --auth names
    OAUTH2_CLIENT_SECRET    its secret
    OAUTH2_CLIENT_AUTH      that method (client_secret_basic or client_secret_post)
    OAUTH2_SCOPE            a scope the client may request
    OAUTH2_REFRESH_TOKEN    a refresh token issued to the client for a resource owner

With --split-clients, grant types are bound per client as most servers do: the client above is registered
for client_credentials only, and a second client, registered for refresh_token only, holds the refresh
token; the server also prints

    OAUTH2_REFRESH_CLIENT_ID      the second client
    OAUTH2_REFRESH_CLIENT_SECRET  its secret

then "READY". Every token Authlib issues is written to standard error as "issued NAME=VALUE", so that a
test can look for it in conform's outputs without trusting conform. The server exits when its standard
input closes (Ctrl-D in a terminal), so a test that dies never leaves it running.

Every answer is Authlib's own except what a deployment must decide: the client registry and token storage
(in memory), which grants are on, which client authentication methods they accept (both; the client's
registration picks one, as RFC 7591's token_endpoint_auth_method does), and refresh token rotation. By
default Authlib issues no refresh tokens at all (OAUTH2_REFRESH_TOKEN_GENERATOR) and, when refreshing,
no new one (RefreshTokenGrant.INCLUDE_NEW_REFRESH_TOKEN); this server turns both on and revokes the refresh
token it replaced, as Authlib's documentation does in revoke_old_credential.

Tried with Authlib 1.9.10 on Flask 3.1 (PyPI) and Authlib 1.2.0 on Flask 2.2 (Debian 12).
"""

import argparse
import logging
import os
import secrets
import sys
import threading
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749 import TokenMixin
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.util import list_to_scope
from authlib.oauth2.rfc6749.util import scope_to_list
from flask import Flask
from werkzeug.serving import make_server

AUTH_METHODS = ("client_secret_basic", "client_secret_post")
CLIENT_SCOPE = "read write"


class Client(ClientMixin):
    """A confidential client registered for one token endpoint authentication method (RFC 7591)."""

    def __init__(self, client_id, client_secret, auth_method, scope, grant_types):
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_endpoint_auth_method = auth_method
        self.scope = scope
        self.grant_types = grant_types

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        if not scope:
            return ""
        allowed = set(scope_to_list(self.scope))
        return list_to_scope([s for s in scope_to_list(scope) if s in allowed])

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(self.client_secret, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        if endpoint == "token":
            return method == self.token_endpoint_auth_method
        return True

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type in self.grant_types


class Token(TokenMixin):
    """An issued token: the response Authlib generated, its client and resource owner, and revocation."""

    def __init__(self, fields, client_id, user):
        self.access_token = fields["access_token"]
        self.refresh_token = fields.get("refresh_token")
        self.scope = fields.get("scope", "")
        self.expires_in = fields.get("expires_in", 0)
        self.issued_at = time.time()
        self.client_id = client_id
        self.user = user
        self.revoked = False

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return self.issued_at + self.expires_in < time.time()

    def is_revoked(self):
        return self.revoked

    def get_user(self):
        return self.user

    def get_client(self):
        return clients.get(self.client_id)


clients = {}
tokens = []
lock = threading.Lock()


def query_client(client_id):
    return clients.get(client_id)


def save_token(fields, request):
    store(Token(fields, request.client.get_client_id(), request.user))


def store(token):
    with lock:
        tokens.append(token)
    for name in ("access_token", "refresh_token"):
        if getattr(token, name):
            print(f"issued {name}={getattr(token, name)}", file=sys.stderr, flush=True)


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    # Authlib's default is client_secret_basic only; the client's registration picks one of these.
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = list(AUTH_METHODS)
    # Rotation: a new refresh token with every refresh, and the one used is revoked (RFC 9700 §4.14.2).
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        with lock:
            for token in tokens:
                if token.refresh_token == refresh_token and not token.is_revoked():
                    return token
        return None

    def authenticate_user(self, refresh_token):
        return refresh_token.get_user()

    def revoke_old_credential(self, refresh_token):
        with lock:
            refresh_token.revoked = True


def make_client(id_prefix, secret_prefix, auth_method, grant_types):
    # The prefixes differ from each other's starts: a test looks for the first 12 characters of a secret.
    client = Client(
        client_id=id_prefix + secrets.token_urlsafe(6),
        client_secret=secret_prefix + secrets.token_urlsafe(24),
        auth_method=auth_method,
        scope=CLIENT_SCOPE,
        grant_types=grant_types,
    )
    clients[client.client_id] = client
    return client


def create_app(auth_method, split_clients=False):
    app = Flask(__name__)
    # Refresh tokens are off in Authlib's Bearer generator unless configured.
    app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = True
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_grant(ClientCredentialsGrant)
    server.register_grant(RefreshTokenGrant)

    if split_clients:
        client = make_client("authlib-client-", "authlib-secret-", auth_method, ["client_credentials"])
        refresh_client = make_client("authlib-refresh-", "refresh-secret-", auth_method, ["refresh_token"])
    else:
        client = make_client("authlib-client-", "authlib-secret-", auth_method,
                             ["client_credentials", "refresh_token"])
        refresh_client = client

    @app.route("/oauth/token", methods=["POST"])
    def issue_token():
        return server.create_token_response()

    # A refresh token the resource owner "alice" granted this client earlier (by a grant conform does not
    # test), made by Authlib's own generator like every other token.
    earlier = Token(server.generate_token("authorization_code", refresh_client, user="alice", scope="read"),
                    refresh_client.client_id, "alice")
    store(earlier)
    return app, client, refresh_client, earlier.refresh_token


def exit_when_stdin_closes():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--auth", choices=AUTH_METHODS, default="client_secret_basic",
                        help="how the client authenticates at the token endpoint (RFC 6749 §2.3.1)")
    parser.add_argument("--split-clients", action="store_true",
                        help="one client for client_credentials, another for refresh_token")
    arguments = parser.parse_args()

    # Plain HTTP on loopback: Authlib 1.9 allows it by itself, older releases (Debian's 1.2) need this switch.
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app, client, refresh_client, refresh_token = create_app(arguments.auth, arguments.split_clients)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"CONFORM_BASE_URL=http://127.0.0.1:{http.server_port}")
    print(f"OAUTH2_CLIENT_ID={client.client_id}")
    print(f"OAUTH2_CLIENT_SECRET={client.client_secret}")
    print(f"OAUTH2_CLIENT_AUTH={arguments.auth}")
    print("OAUTH2_SCOPE=read")
    print(f"OAUTH2_REFRESH_TOKEN={refresh_token}")
    if arguments.split_clients:
        print(f"OAUTH2_REFRESH_CLIENT_ID={refresh_client.client_id}")
        print(f"OAUTH2_REFRESH_CLIENT_SECRET={refresh_client.client_secret}")
    print("READY", flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    http.serve_forever()


if __name__ == "__main__":
    main()
