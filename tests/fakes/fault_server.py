#!/usr/bin/env python3
"""fault_server.py: one server that misbehaves the same way for Prometheus,
Alertmanager, Loki and PagerDuty, for tests/integration/http_faults.sh and
tests/integration/fault_matrix.sh.

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
  /badutf8/TAG/...  200: the API's answer (Alertmanager's alert list,
                    PagerDuty's incidents, Loki's streams, a Prometheus
                    vector), text in it holding bytes that are not UTF-8
                    (a cut "\xe2\x80" and a lone "\xff")
  /ok/TAG/...       200: a healthy answer in the API's shape (one alert,
                    one incident, one log line, an empty vector), for the
                    sources that are not under test
  /reset/...        (see above); /rst/TAG/... sends the headers and part of
                    the body, then resets the connection (RST)
  /hang/TAG/...     reads the request and never answers
  /slow/TAG/...     the headers, then the body at 1 byte a second
  /big/TAG/...      200 with a body past the source's cap (16 MiB, Loki's
                    64 MiB), sent without a length until the client hangs up
  /html/TAG/...     502 with nginx's HTML error page
  /e500/TAG/...     500 with a short text body
  /sane429/TAG/...  429 with "Retry-After: 3"
  /deep/TAG/...     200: JSON arrays nested 100,000 deep

GET /_count answers {"FAULT/TAG": requests, ...}. Standard library only.
"""

import json
import socket
import struct
import sys
import threading
import time
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


HTML = (b'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n'
        b'<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n'
        b'<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n')
DEPTH = 100000
BIG_CAP = {"loki": 64 << 20}
BIG_DEFAULT = 16 << 20


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))


def shaped(api, text):
    """A healthy answer to API holding TEXT (bytes) in a shown field."""
    if api.startswith("/loki/"):
        ns = str(time.time_ns() - 5 * 10**9).encode()
        return (b'{"status":"success","data":{"resultType":"streams",'
                b'"result":[{"stream":{"job":"x"},"values":[["' + ns +
                b'","' + text + b'"]]}],"stats":{}}}')
    if api.startswith("/api/v1/"):
        kind = b"matrix" if "query_range" in api else b"vector"
        return (b'{"status":"success","data":{"resultType":"' + kind +
                b'","result":[{"metric":{"note":"' + text + b'"},'
                b'"value":[1,"0"]}]}}' if kind == b"vector" else
                b'{"status":"success","data":{"resultType":"matrix",'
                b'"result":[]}}')
    if api.startswith("/api/v2/"):
        return (b'[{"fingerprint":"f1","labels":{"alertname":"DiskFull",'
                b'"service":"db","severity":"critical"},'
                b'"annotations":{"summary":"' + text + b'"},'
                b'"startsAt":"' + now_iso().encode() + b'",'
                b'"status":{"state":"active",'
                b'"silencedBy":[],"inhibitedBy":[]},'
                b'"receivers":[{"name":"x"}]}]')
    if api.startswith("/change_events"):
        return b'{"change_events":[],"limit":100,"offset":0,"more":false}'
    if api.startswith("/incidents"):
        t = now_iso().encode()
        return (b'{"incidents":[{"id":"Q1","type":"incident",'
                b'"incident_number":1,"title":"' + text + b'",'
                b'"created_at":"' + t + b'","updated_at":"' + t + b'",'
                b'"status":"triggered","urgency":"high",'
                b'"service":{"id":"PSVC1","type":"service_reference",'
                b'"summary":"db"},"assignments":[],"acknowledgements":[]}],'
                b'"limit":100,"offset":0,"total":null,"more":false}')
    return b"{}"


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
            if api.startswith("/api/v2/"):
                self.send(200, BAD_ALERTS)
            else:
                self.send(200, shaped(api, b"disk \xe2\x80 full \xff now"))
        elif fault == "ok":
            self.send(200, shaped(api, b"stand-in " + tag.encode() +
                                  b" well"))
        elif fault == "rst":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b'{"status":"success","data":{"result' +
                             b' ' * 4000)
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault == "hang":
            time.sleep(600)
            self.close_connection = True
        elif fault == "slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "600")
            self.end_headers()
            self.wfile.flush()
            for _ in range(600):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
        elif fault == "big":
            cap = BIG_CAP.get(tag.split("-")[0], BIG_DEFAULT)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b" " * (1 << 20)
            sent = 0
            while sent <= cap + (4 << 20):
                self.wfile.write(chunk)
                sent += len(chunk)
        elif fault == "html":
            self.send(502, HTML, "text/html")
        elif fault == "e500":
            self.send(500, b"Internal Server Error\n", "text/plain")
        elif fault == "sane429":
            self.send(429, busy, extra=[("Retry-After", "3")])
        elif fault == "deep":
            self.send(200, b"[" * DEPTH + b"]" * DEPTH)
        else:
            self.send(404, b"no such fault\n", "text/plain")

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, OSError):
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
