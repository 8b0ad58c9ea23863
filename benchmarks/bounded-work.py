#!/usr/bin/env python3
"""Hostile inputs for benchmarks/bounded-work.sh: work that used to have no bound.

    bounded-work.py write DIR   writes the suites and the schema into DIR
    bounded-work.py serve       serves GET /token on loopback; prints the base URL on its first line

- costly-pattern.json: a 9,800-state pattern (ten groups of `(?:[a-z]?){490}` and a `!` that never comes) as a
  field rule, a JSON Schema `pattern` and a `patternProperties` key, against a 1,000,000-character field;
- block-bomb.json: 16 shared blocks, each using the next four times (4^15 merges per case before the fix);
- ref-chain.json: a JSON Schema of 100,000 definitions, each a `$ref` to the next (ref-chain-schema.json).
"""
import http.server
import json
import os
import socketserver
import sys

FIELD = "a" * int(os.environ.get("BOUNDED_FIELD_LENGTH", "1000000"))
PATTERN = "(?:[a-z]?){490}" * 10 + "!"
BLOCKS = 16
DEFINITIONS = 100_000


def write(folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    costly = {
        "format": 1,
        "name": "costly pattern",
        "base_url": "http://127.0.0.1:1",
        "cases": [
            {
                "name": "a costly pattern over a 1 MB field",
                "request": {"method": "GET", "path": "/token"},
                "expect": {
                    "status": 200,
                    "body": {
                        "json_schema": {
                            "type": "object",
                            "properties": {"access_token": {"type": "string", "pattern": PATTERN}},
                            "patternProperties": {PATTERN: True},
                        }
                    },
                    "fields": {"access_token": {"matches": PATTERN}},
                },
            }
        ],
    }
    blocks = {f"b{i}": {"use": [f"b{i + 1}"] * 4, "headers": {f"X-B{i}": "v"}} for i in range(BLOCKS - 1)}
    blocks[f"b{BLOCKS - 1}"] = {"method": "GET", "path": "/"}
    bomb = {
        "format": 1,
        "name": "block bomb",
        "base_url": "http://127.0.0.1:1",
        "blocks": blocks,
        "cases": [{"name": "bomb", "request": {"use": "b0"}, "expect": {"status": 200}}],
    }
    definitions = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(DEFINITIONS - 1)}
    definitions[f"d{DEFINITIONS - 1}"] = {"type": "object"}
    schema = {"$ref": "#/$defs/d0", "$defs": definitions}
    chain = {
        "format": 1,
        "name": "ref chain",
        "base_url": "http://127.0.0.1:1",
        "cases": [
            {
                "name": "chain",
                "request": {"method": "GET", "path": "/"},
                "expect": {"status": 200, "body": {"json_schema": "ref-chain-schema.json"}},
            }
        ],
    }
    for name, document in [
        ("costly-pattern.json", costly),
        ("block-bomb.json", bomb),
        ("ref-chain-schema.json", schema),
        ("ref-chain.json", chain),
    ]:
        with open(os.path.join(folder, name), "w") as file:
            json.dump(document, file, separators=(",", ":"))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = json.dumps({"access_token": FIELD, "token_type": "Bearer"}).encode()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    if sys.argv[1:2] == ["write"] and len(sys.argv) == 3:
        write(sys.argv[2])
    elif sys.argv[1:] == ["serve"]:
        server = Server(("127.0.0.1", 0), Handler)
        print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
        server.serve_forever()
    else:
        sys.exit(__doc__)
