#!/usr/bin/env python3
"""bulk_alertmanager.py: an Alertmanager (API v2) with many firing alerts,
for tests/integration/large_answers.sh.

  bulk_alertmanager.py N [PREFIX]

Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, and answers GET /api/v2/alerts with N active alerts (about 400 B
each: 20,000 make 8 MB) until its stdin closes. Alert i has fingerprint
PREFIX-i, severity critical, error, warning, info in turn (i % 4) and
service svc-(i % 50). GET /__stats answers {"requests": N}. Standard
library only.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEVERITIES = ("critical", "error", "warning", "info")
STATS = {"requests": 0}


def body(n, prefix):
    out = []
    for i in range(n):
        out.append({
            "fingerprint": "%s-%d" % (prefix, i),
            "startsAt": "2026-11-%02dT%02d:%02d:00.000Z" %
            (1 + i % 25, i % 24, i % 60),
            "endsAt": "2026-12-31T00:00:00.000Z",
            "updatedAt": "2026-11-26T14:55:00.000Z",
            "status": {"state": "active", "silencedBy": [],
                       "inhibitedBy": []},
            "receivers": [{"name": "team-%d" % (i % 7)}],
            "labels": {"alertname": "HighErrorRate", "job": "api",
                       "service": "svc-%d" % (i % 50),
                       "severity": SEVERITIES[i % 4],
                       "instance": "10.0.%d.%d:8080" % (i // 250 % 256,
                                                        i % 250)},
            "annotations": {"summary": "alert %s-%d" % (prefix, i)},
        })
    return json.dumps(out, separators=(",", ":")).encode()


def main():
    n = int(sys.argv[1])
    payload = body(n, sys.argv[2] if len(sys.argv) > 2 else "a")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, data):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path.startswith("/api/v2/alerts"):
                STATS["requests"] += 1
                self.send(payload)
            elif self.path == "/__stats":
                self.send(json.dumps(STATS).encode())
            else:
                self.send_error(404)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass	# a client that went away mid-answer

    srv = Server(("127.0.0.1", 0), Handler)
    print(srv.server_address[1], flush=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    sys.stdin.read()	# until the test ends
    srv.shutdown()


if __name__ == "__main__":
    main()
