#!/usr/bin/env python3
"""A Pitchpoint look-alike that issues a fresh refresh token of TOKEN_BYTES (800,000 by default) in every
answer, for benchmarks/token-pileup.sh. Both token endpoints answer 200 with the documented token model
(a JWT-shaped access token, "scope", "token_type", "expires_in"); every refresh token differs from the
others from its first byte on, so each one is a new secret to conform. Prints the base URL first."""
import base64
import http.server
import itertools
import json
import os
import socketserver
import threading

SIZE = int(os.environ.get("TOKEN_BYTES", "800000"))
counter = itertools.count()
lock = threading.Lock()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def answer():
    with lock:
        n = next(counter)
    head = f"AMf-{n:08d}-"
    refresh = head + ("0123456789abcdefghijklmnopqrstuvwxyz" * (SIZE // 36 + 1))[: SIZE - len(head)]
    access = ".".join(
        [b64(b'{"alg":"RS256","typ":"JWT"}'), b64(json.dumps({"sub": "u", "n": n, "exp": 4102444800}).encode()), b64(b"sig")]
    )
    return json.dumps(
        {"access_token": access, "refresh_token": refresh, "scope": "policy", "token_type": "Bearer", "expires_in": 3600}
    ).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = answer()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
