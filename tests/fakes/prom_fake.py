#!/usr/bin/env python3
"""prom_fake.py: a Prometheus that misbehaves, for the failure cases of
tests/integration/prometheus.sh.

  prom_fake.py MODE [SECONDS]

Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, and answers every request until it is killed:

  500       HTTP 500 with a plain-text body
  html502   HTTP 502 with nginx's HTML error page (a proxy in front)
  garbage   HTTP 200 with a body that is not JSON
  truncated HTTP 200 with half a Prometheus answer
  error     HTTP 422 with Prometheus' error body (errorType execution)
  warnings  HTTP 200, an empty vector (or matrix) and two warnings
  slow      sleeps SECONDS (default 5), then answers an empty vector

GET /__stats answers {"requests": N, "max_in_flight": M}: how many
requests came and the most that were open at once (a refresh must never
overlap the previous one). Standard library only.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY = b'{"status":"success","data":{"resultType":"vector","result":[]}}'
EMPTY_MATRIX = (b'{"status":"success","data":{"resultType":"matrix",'
                b'"result":[]}}')
NGINX_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
             b"<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
             b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")

MODE = "500"
DELAY = 5.0
LOCK = threading.Lock()
STATS = {"requests": 0, "in_flight": 0, "max_in_flight": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, ctype="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def answer(self):
        path = self.path.split("?", 1)[0]
        if MODE == "500":
            self.send(500, b"internal server error\n", "text/plain")
        elif MODE == "html502":
            self.send(502, NGINX_502, "text/html")
        elif MODE == "garbage":
            self.send(200, b"this is not JSON {{{", "text/plain")
        elif MODE == "truncated":
            self.send(200, EMPTY[:len(EMPTY) // 2])
        elif MODE == "error":
            self.send(422, b'{"status":"error","errorType":"execution",'
                      b'"error":"expanding series: too many chunks"}')
        elif MODE == "warnings":
            body = json.loads(EMPTY_MATRIX if path.endswith("query_range")
                              else EMPTY)
            body["warnings"] = ["store eu-1 unreachable: partial data",
                                "query hit the series limit"]
            self.send(200, json.dumps(body).encode())
        elif MODE == "slow":
            time.sleep(DELAY)
            self.send(200, EMPTY_MATRIX if path.endswith("query_range")
                      else EMPTY)
        else:
            self.send(400, b"unknown mode\n", "text/plain")

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.path == "/__stats":
            with LOCK:
                body = {k: STATS[k] for k in ("requests", "max_in_flight")}
            self.send(200, json.dumps(body).encode())
            return
        with LOCK:
            STATS["requests"] += 1
            STATS["in_flight"] += 1
            STATS["max_in_flight"] = max(STATS["max_in_flight"],
                                         STATS["in_flight"])
        try:
            self.answer()
        finally:
            with LOCK:
                STATS["in_flight"] -= 1

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = route


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass


def main():
    global MODE, DELAY
    MODE = sys.argv[1] if len(sys.argv) > 1 else "500"
    if len(sys.argv) > 2:
        DELAY = float(sys.argv[2])
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever(0.1)


if __name__ == "__main__":
    main()
