#!/usr/bin/env python3
"""http_echo.py: a loopback HTTP server for the HTTP client's unit test.

Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, and serves until stdin is closed (so it dies with the test):

  /ok           200, a small JSON body
  /slow         sleeps 3 s, then 200
  /big          200, a 2 MB body with Content-Length
  /big-chunked  200, a 2 MB body in chunks, length not announced
  /429          429 with "ratelimit-reset: 7"
  /retry-after  503 with "Retry-After: 12"
  /retry-huge   429 with "Retry-After: 9223372036854775"
  /reset-huge   429 with a RateLimit-Reset too long for 64 bits
  /echo         200, JSON: the method, path, headers and body it received
  /echo401      401 repeating every header it received, as text and as
                JSON with each "/" escaped (as PHP writes it)

Standard library only.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BIG = 2 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "http_echo/1"
    # Headers and body go out in separate writes: without this, Nagle and
    # delayed ACKs add 40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def send_body(self, status, body, ctype="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def route(self):
        body = self.read_body()
        path = self.path.split("?", 1)[0]
        if path == "/ok":
            self.send_body(200, b'{"status":"success","data":[1,2,3]}')
        elif path == "/slow":
            time.sleep(3)
            self.send_body(200, b'{"slow":true}')
        elif path == "/big":
            self.send_body(200, b"x" * BIG, "text/plain")
        elif path == "/big-chunked":
            self.send_chunked(BIG)
        elif path == "/429":
            self.send_body(429, b'{"error":"slow down"}',
                           extra=[("ratelimit-reset", "7")])
        elif path == "/retry-after":
            self.send_body(503, b"busy", "text/plain",
                           extra=[("Retry-After", "12")])
        elif path == "/retry-huge":
            self.send_body(429, b"{}",
                           extra=[("Retry-After", "9223372036854775")])
        elif path == "/reset-huge":
            self.send_body(429, b"{}",
                           extra=[("RateLimit-Reset", "9" * 40)])
        elif path == "/echo401":
            said = "".join("bad %s: %s\n" % kv for kv in self.headers.items())
            said += json.dumps(dict(self.headers.items())).replace("/", "\\/")
            self.send_body(401, said.encode(), "text/plain")
        elif path == "/echo":
            echo = {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers.items()),
                "body": body.decode("utf-8", "replace"),
            }
            self.send_body(200, json.dumps(echo).encode())
        else:
            self.send_body(404, b'{"error":"not found"}')

    def send_chunked(self, total):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"y" * 65536
        sent = 0
        while sent < total:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        self.wfile.write(b"0\r\n\r\n")

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = route


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128    # many requests at once must not wait on SYNs

    def handle_error(self, request, client_address):
        pass


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, args=(0.1,),
                     daemon=True).start()
    # Serve until whoever started us closes our stdin.
    while sys.stdin.buffer.read(4096):
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
