#!/usr/bin/env python3
"""fault_server.py: one server that misbehaves the same way for Prometheus,
Alertmanager and Loki, for tests/integration/http_faults.sh.

Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, and answers until it is killed. A source's url names the fault and
a tag, e.g. url = http://127.0.0.1:PORT/retry/prom; the rest of the path is
the API the source asked for, which decides the shape of the body:

  /retry/TAG/...    429 with "Retry-After: 9223372036854775"
  /reset/TAG/...    429 with "RateLimit-Reset: 9223372036854775"
  /year/TAG/...     429 with "Retry-After: 31536000" (a year)
  /echo401/TAG/...  401 whose body repeats the Authorization header it was
                    sent, in the API's own error shape (Prometheus' error
                    body, Alertmanager's JSON string, Loki's plain text)
  /badutf8/TAG/...  200: Alertmanager's alert list, the summary holding
                    bytes that are not UTF-8 (a cut "\xe2\x80" and a lone
                    "\xff")

GET /_count answers {"FAULT/TAG": requests, ...}. Standard library only.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE = "9223372036854775"
LOCK = threading.Lock()
COUNTS = {}

BAD_ALERTS = (
    b'[{"fingerprint":"f1","labels":{"alertname":"DiskFull",'
    b'"service":"db","severity":"critical"},'
    b'"annotations":{"summary":"disk \xe2\x80 full \xff now"},'
    b'"startsAt":"2026-01-01T00:00:00Z","status":{"state":"active",'
    b'"silencedBy":[],"inhibitedBy":[]},"receivers":[{"name":"x"}]}]')


def echo_body(api, auth):
    """A 401 that repeats the credential, as a careless proxy would."""
    said = "bad " + auth
    if "/api/v1/" in api:
        return "application/json", json.dumps(
            {"status": "error", "errorType": "unauthorized",
             "error": said}).encode()
    if "/api/v2/" in api:
        return "application/json", json.dumps(said).encode()
    return "text/plain", (said + "\n").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, ctype="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        if path == "/_count":
            with LOCK:
                body = json.dumps(COUNTS).encode()
            self.send(200, body)
            return
        parts = path.split("/", 3)
        if len(parts) < 4:
            self.send(404, b"no such fault\n", "text/plain")
            return
        fault, tag, api = parts[1], parts[2], "/" + parts[3]
        with LOCK:
            key = fault + "/" + tag
            COUNTS[key] = COUNTS.get(key, 0) + 1
        busy = b'{"status":"error","errorType":"unavailable",' \
               b'"error":"slow down"}'
        if fault == "retry":
            self.send(429, busy, extra=[("Retry-After", HUGE)])
        elif fault == "reset":
            self.send(429, busy, extra=[("RateLimit-Reset", HUGE)])
        elif fault == "year":
            self.send(429, busy, extra=[("Retry-After", "31536000")])
        elif fault == "echo401":
            ctype, body = echo_body(api,
                                    self.headers.get("Authorization", ""))
            self.send(401, body, ctype)
        elif fault == "badutf8":
            self.send(200, BAD_ALERTS)
        else:
            self.send(404, b"no such fault\n", "text/plain")

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = route


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever(0.1)


if __name__ == "__main__":
    main()
