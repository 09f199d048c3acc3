#!/usr/bin/env python3
"""count_proxy.py: a counting HTTP proxy in front of a server on loopback,
so that a test can say how many requests sitrep sends per refresh.

  count_proxy.py UPSTREAM_PORT

Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, forwards every request to 127.0.0.1:UPSTREAM_PORT as it came
(method, path, headers, body) and the answer back, until it is killed.

  GET  /__count   {"requests": N, "by": {"POST /api/v1/query": n, ...},
                   "bytes_sent": B, "slowest": {"POST /api/v1/query": s},
                   "in_flight": F}:
                   what was forwarded since the last reset, and the longest
                   each kind took to answer, in seconds
  GET  /__log     [[start, end, "POST /api/v1/query"], ...]: every request
                   since the last reset, monotonic seconds
  POST /__reset   start counting from zero

Standard library only; it never connects anywhere but 127.0.0.1.
"""

import http.client
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM = 0
LOCK = threading.Lock()
COUNT = {"requests": 0, "by": {}, "bytes_sent": 0, "slowest": {},
         "in_flight": 0}
LOG = []
HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection",
       "te", "trailer", "upgrade"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.path == "/__count":
            with LOCK:
                data = json.dumps(COUNT).encode()
            self.reply(200, data, [("Content-Type", "application/json")])
            return
        if self.path == "/__log":
            with LOCK:
                data = json.dumps(LOG).encode()
            self.reply(200, data, [("Content-Type", "application/json")])
            return
        if self.path == "/__reset":
            with LOCK:
                del LOG[:]
                COUNT.update(requests=0, by={}, bytes_sent=0, slowest={})
                # in_flight stays: it is the state of the line, not a count
            self.reply(200, b"{}", [("Content-Type", "application/json")])
            return
        key = "%s %s" % (self.command, self.path.split("?", 1)[0])
        with LOCK:
            COUNT["requests"] += 1
            COUNT["by"][key] = COUNT["by"].get(key, 0) + 1
            COUNT["bytes_sent"] += len(body or b"")
            COUNT["in_flight"] += 1
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in HOP}
        t0 = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM,
                                              timeout=600)
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            out = [(k, v) for k, v in resp.getheaders()
                   if k.lower() not in HOP and k.lower() != "content-length"]
            conn.close()
        except OSError as e:
            with LOCK:
                COUNT["in_flight"] -= 1
            self.reply(502, ("proxy: %s\n" % e).encode(),
                       [("Content-Type", "text/plain")])
            return
        elapsed = round(time.monotonic() - t0, 3)
        with LOCK:
            COUNT["in_flight"] -= 1
            COUNT["slowest"][key] = max(COUNT["slowest"].get(key, 0),
                                        elapsed)
            LOG.append([round(t0, 3), round(t0 + elapsed, 3), key])
        self.reply(resp.status, data, out)

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = route


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass


def main():
    global UPSTREAM
    UPSTREAM = int(sys.argv[1])
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever(0.1)


if __name__ == "__main__":
    main()
