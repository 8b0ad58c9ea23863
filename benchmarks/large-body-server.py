#!/usr/bin/env python3
"""Serves one large JSON body on loopback for benchmarks/har-memory.sh: every GET answers 200 with a JSON
object of BODY_BYTES bytes (60,000 by default). Prints the base URL on its first line."""
import http.server
import os
import socketserver

SIZE = int(os.environ.get("BODY_BYTES", "60000"))
HEAD = b'{"data":"'
TAIL = b'"}'
BODY = HEAD + b"x" * (SIZE - len(HEAD) - len(TAIL)) + TAIL


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
