#!/usr/bin/env python3
"""tenant_gateway.py: a stand-in for the gateway of a multi-tenant engine
(Mimir, Cortex, Loki), for tests/integration/tenants.sh.

  tenant_gateway.py --prefix /prometheus --tenant team-a=URL [--tenant ...]

Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, and serves until stdin is closed. It checks what such a gateway
checks, and answers as it does when a check fails:

  - the path must begin with --prefix (else 404 "404 page not found");
  - X-Scope-OrgID must be present (else 401 "no org id") and name known
    tenants, one or several joined by "|" (else 401 "unknown tenant");
  - several tenants are a Loki multi-tenant query: query_range goes to each
    tenant's upstream, every stream gains the label __tenant_id__, and the
    entries are cut to the limit across tenants in the query's direction;
    other paths go to the first tenant's upstream.

The rest of the request (method, path after the prefix, query, body,
Content-Type) goes to the tenant's upstream, and its answer comes back.
GET /gateway/requests (no prefix, no tenant) answers every request seen:
[{"method", "path", "org", "status"}]. Standard library only.
"""

import argparse
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = ""
TENANTS = {}
SEEN = []
LOCK = threading.Lock()


def forward(base, method, path, body, ctype):
    req = urllib.request.Request(base + path, data=body, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type", "")


def merge_streams(answers, tenants, query):
    """Loki's multi-tenant query_range: streams labelled by tenant, the
    entries cut to the limit in the query's direction."""
    q = urllib.parse.parse_qs(query)
    limit = int(q.get("limit", ["100"])[0])
    backward = q.get("direction", ["backward"])[0] != "forward"
    entries = []
    for tenant, body in zip(tenants, answers):
        for s in json.loads(body)["data"]["result"]:
            labels = dict(s["stream"], __tenant_id__=tenant)
            key = json.dumps(labels, sort_keys=True)
            for ts, line in s["values"]:
                entries.append((int(ts), key, ts, line))
    entries.sort(key=lambda e: (e[0], e[1]), reverse=backward)
    entries = entries[:limit]
    by, order = {}, []
    for _, key, ts, line in entries:
        if key not in by:
            by[key] = []
            order.append(key)
        by[key].append([ts, line])
    result = [{"stream": json.loads(k), "values": by[k]} for k in order]
    return json.dumps({"status": "success", "data": {
        "resultType": "streams", "result": result}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, ctype="text/plain; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", ctype or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def note(self, org, status):
        with LOCK:
            SEEN.append({"method": self.command, "path": self.path,
                         "org": org, "status": status})

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.command == "GET" and self.path == "/gateway/requests":
            with LOCK:
                self.send(200, json.dumps(SEEN).encode(), "application/json")
            return
        org = self.headers.get("X-Scope-OrgID")
        if not self.path.startswith(PREFIX + "/"):
            self.note(org, 404)
            self.send(404, b"404 page not found\n")
            return
        if not org:
            self.note(org, 401)
            self.send(401, b"no org id\n")
            return
        tenants = org.split("|")
        if any(t not in TENANTS for t in tenants):
            self.note(org, 401)
            self.send(401, b"unknown tenant\n")
            return
        path = self.path[len(PREFIX):]
        ctype = self.headers.get("Content-Type")
        url = urllib.parse.urlparse(path)
        if len(tenants) > 1 and url.path == "/loki/api/v1/query_range":
            answers = []
            for t in tenants:
                status, data, _ = forward(TENANTS[t], self.command, path,
                                          body, ctype)
                if status != 200:
                    self.note(org, status)
                    self.send(status, data)
                    return
                answers.append(data)
            self.note(org, 200)
            self.send(200, merge_streams(answers, tenants, url.query),
                      "application/json")
            return
        status, data, rtype = forward(TENANTS[tenants[0]], self.command,
                                      path, body, ctype)
        self.note(org, status)
        self.send(status, data, rtype)

    do_GET = do_POST = do_DELETE = handle_any


def main():
    global PREFIX
    ap = argparse.ArgumentParser()
    ap.add_argument("--prefix", default="")
    ap.add_argument("--tenant", action="append", default=[],
                    help="NAME=URL of its upstream")
    a = ap.parse_args()
    PREFIX = a.prefix.rstrip("/")
    for t in a.tenant:
        name, _, url = t.partition("=")
        TENANTS[name] = url.rstrip("/")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print(srv.server_address[1], flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    srv.shutdown()


if __name__ == "__main__":
    main()
