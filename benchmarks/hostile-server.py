#!/usr/bin/env python3
"""Serves 1 MiB hostile bodies on loopback for benchmarks/hostile-bodies.sh: GET /SHAPE answers 200 with
that body. Prints the base URL on its first line."""
import http.server
import os
import socketserver
import sys

SIZE = 1 << 20
SECRET = "rt-hostile-secret-0123456789"


def repeat(unit: bytes) -> bytes:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


SHAPES = {
    "token-tags": ("application/xml", repeat(b"<Token ")),
    "json-field-names": ("application/json", repeat(b'"access_token":"')),
    "unicode-escapes": ("application/json", repeat(b"\\u00")),
    "character-references": ("application/xml", repeat(b"&#")),
    "percent-signs": ("text/plain", repeat(b"%")),
    "secret-prefixes": ("text/plain", repeat(SECRET[:-1].encode() + b" ")),
    "deep-json": ("application/json", repeat(b"[")),
    "deep-xml": ("application/xml", repeat(b"<a>")),
    "unterminated-string": ("application/json", b'{"access_token":"' + repeat(b"A")[17:]),
    "binary": ("application/octet-stream", os.urandom(SIZE)),
    "long-line-html": ("text/html", b"<html><body>" + repeat(b"x")[12:]),
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        kind, body = SHAPES.get(self.path.strip("/").split("?")[0], ("text/plain", b"unknown shape"))
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    if sys.argv[1:] == ["--shapes"]:
        print("\n".join(SHAPES))
        sys.exit(0)
    server = Server(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
