#!/usr/bin/env python3
"""fake_pagerduty.py: a stateful PagerDuty REST API v2 for workflow tests.

Prism answers fixed examples; this fake remembers: acknowledge an incident
and the next list says "acknowledged", resolve it and it leaves the list.
Binds 127.0.0.1 on an ephemeral port, prints the port as the first line of
stdout, and serves until stdin is closed (so it dies with the test).

  --incidents FILE   JSON list of incidents to start with (see below)
  --generate N       or N made-up incidents P0001.. (services PSVC1/PSVC2)
  --token T          the API token to expect ("Token token=T"), else 401
  --page-max N       serve at most N incidents per page (PagerDuty: 100)
  --changes FILE     JSON list of change events (see make_change below)
  --log-entries N    each incident's log starts with its trigger and N
                     notifications a minute apart (paged like the list)

The API as sitrep uses it (paths, headers, bodies as PagerDuty documents):
  GET  /incidents?statuses[]=..&service_ids[]=..&team_ids[]=..&limit&offset
  PUT  /incidents/{id}        status, assignments, escalation_level
  POST /incidents/{id}/notes  POST /incidents/{id}/snooze
  GET  /incidents/{id}/alerts GET  /incidents/{id}/notes
  GET  /change_events?since=..&limit=..&team_ids[]=..  (since is required
       here, as sitrep always sends it; events before it are left out)
  GET  /incidents/{id}/related_change_events  (those on its service)
  GET  /incidents/{id}/log_entries?limit=..&offset=..  newest first, paged
  POST /incidents/{id}/status_updates  {"message": ...}
Writes without a From header get 400; a wrong token 401.

For the test itself (no auth):
  GET  /_log      every API request so far: method, path, query, from,
                  body, time (monotonic seconds), status answered
  GET  /_state    the incidents as they are now, with notes and snoozes
  POST /_control  {"fault": "429"|"500"|"garbage"|null, "count": N,
                  "reset": S, "write_delay": S}: the next N list requests
                  fail that way (429 carries ratelimit-reset: S); writes
                  are answered after S seconds. {"changes_fault": ...,
                  "count": N} does the same to GET /change_events.

Standard library only.
"""

import argparse
import calendar
import json
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

VENDOR = "application/vnd.pagerduty+json;version=2"

STATE = {
    "incidents": [],
    "changes": [],
    "log": [],
    "fault": None,
    "fault_count": 0,
    "changes_fault": None,
    "changes_fault_count": 0,
    "reset": 3,
    "write_delay": 0.0,
}
LOCK = threading.Lock()
ARGS = None


def make_incident(i, spec=None):
    spec = spec or {}
    iid = spec.get("id", "P%04d" % i)
    svc = spec.get("service_id", "PSVC%d" % (1 + i % 2))
    inc = {
        "id": iid,
        "type": "incident",
        "summary": "[#%d] %s" % (i, spec.get("title", "Incident %d" % i)),
        "title": spec.get("title", "Incident %d" % i),
        "incident_number": i,
        "status": spec.get("status", "triggered"),
        "urgency": spec.get("urgency", "high"),
        "created_at": spec.get("created_at", "2026-01-01T00:%02d:00Z"
                               % (i % 60)),
        "html_url": "https://fake.pagerduty.test/incidents/" + iid,
        "self": "https://fake.pagerduty.test/api/incidents/" + iid,
        "service": {"id": svc, "type": "service_reference",
                    "summary": spec.get("service", "service-%s" % svc)},
        "teams": [{"id": "PTEAM1", "type": "team_reference",
                   "summary": "Team One"}],
        "assignments": [],
        "escalation_level": 1,
        "alert_counts": {"all": 1, "triggered": 1, "resolved": 0},
    }
    if "priority" in spec:
        inc["priority"] = {"id": "PPRI", "type": "priority_reference",
                           "summary": spec["priority"]}
    inc["_notes"] = []
    inc["_snoozed"] = None
    inc["_status_updates"] = []
    t0 = calendar.timegm(parse_time(inc["created_at"]).timetuple())
    inc["_log"] = [log_entry(inc, "trigger_log_entry",
                             "Triggered through the API", t0, "Fake CI")]
    for k in range(ARGS.log_entries if ARGS else 0):
        inc["_log"].append(log_entry(
            inc, "notify_log_entry", "Notified on-call %d by SMS" % k,
            t0 + 60 * (k + 1), "Escalation policy"))
    return inc


def log_entry(inc, kind, summary, t, agent):
    return {"id": "L%s%03d" % (inc["id"], len(inc.get("_log", []))),
            "type": kind, "summary": summary,
            "created_at": datetime.utcfromtimestamp(t).strftime(
                "%Y-%m-%dT%H:%M:%SZ"),
            "agent": {"id": "PAGENT", "type": "user_reference",
                      "summary": agent}}


def make_change(i, spec):
    """A change event as PagerDuty lists it: spec has id, timestamp,
    service_id, service (its name), and optionally summary, version,
    author (into custom_details, as a CI integration sends them)."""
    details = {k: spec[k] for k in ("version", "author", "environment")
               if k in spec}
    return {
        "id": spec.get("id", "C%04d" % i),
        "type": "change_event",
        "timestamp": spec["timestamp"],
        "summary": spec.get("summary", "Deploy %s" % spec.get("version",
                                                             i)),
        "source": "fake-ci",
        "services": [{"id": spec["service_id"],
                      "type": "service_reference",
                      "summary": spec.get("service", spec["service_id"])}],
        "custom_details": details,
        "links": [{"href": "https://ci.example.test/deploys/%d" % i,
                   "text": "the pipeline"}],
    }


def parse_time(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")


def public(inc):
    return {k: v for k, v in inc.items() if not k.startswith("_")}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake_pagerduty/1"
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def send_json(self, status, obj, extra=(), raw=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        return status

    def error(self, status, message, extra=()):
        return self.send_json(status, {"error": {"message": message,
                                                 "code": status}}, extra)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def route(self):
        raw = self.read_body()
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        if path.startswith("/_"):
            return self.control(path, raw)
        entry = {"method": self.command, "path": path, "query": query,
                 "from": self.headers.get("From"),
                 "body": raw.decode("utf-8", "replace"),
                 "time": time.monotonic()}
        status = self.api(path, query, raw)
        entry["status"] = status
        with LOCK:
            STATE["log"].append(entry)

    def control(self, path, raw):
        with LOCK:
            if path == "/_log":
                return self.send_json(200, STATE["log"])
            if path == "/_state":
                return self.send_json(200, STATE["incidents"])
            if path == "/_control" and self.command == "POST":
                ctl = json.loads(raw or b"{}")
                if "fault" in ctl:
                    STATE["fault"] = ctl["fault"]
                    STATE["fault_count"] = ctl.get("count", 1)
                if "changes_fault" in ctl:
                    STATE["changes_fault"] = ctl["changes_fault"]
                    STATE["changes_fault_count"] = ctl.get("count", 1)
                STATE["reset"] = ctl.get("reset", STATE["reset"])
                STATE["write_delay"] = ctl.get("write_delay",
                                               STATE["write_delay"])
                return self.send_json(200, {"ok": True})
        return self.send_json(404, {"error": "no such control"})

    def api(self, path, query, raw):
        if self.headers.get("Authorization") != "Token token=" + ARGS.token:
            return self.error(401, "Unauthorized")
        if VENDOR not in (self.headers.get("Accept") or ""):
            return self.error(406, "Accept must name " + VENDOR)
        parts = path.strip("/").split("/")
        self._query = query
        if self.command == "GET" and parts == ["incidents"]:
            return self.list_incidents(query)
        if self.command == "GET" and parts == ["change_events"]:
            return self.list_changes(query)
        if len(parts) < 2 or parts[0] != "incidents":
            return self.error(404, "Not Found")
        with LOCK:
            inc = next((i for i in STATE["incidents"]
                        if i["id"] == parts[1]), None)
        if inc is None:
            return self.error(404, "Incident Not Found")
        if self.command == "GET":
            return self.read_incident(inc, parts[2:])
        if not self.headers.get("From"):
            return self.error(400, "You must supply a From header")
        if self.headers.get("Content-Type") != "application/json":
            return self.error(400, "Content-Type must be application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            return self.error(400, "Invalid JSON")
        if STATE["write_delay"]:
            time.sleep(STATE["write_delay"])
        return self.write_incident(inc, parts[2:], body)

    def list_incidents(self, query):
        with LOCK:
            if STATE["fault"] and STATE["fault_count"] > 0:
                STATE["fault_count"] -= 1
                fault = STATE["fault"]
                if fault == "429":
                    return self.error(429, "Rate Limit Exceeded", [
                        ("ratelimit-limit", "960"),
                        ("ratelimit-remaining", "0"),
                        ("ratelimit-reset", str(STATE["reset"]))])
                if fault == "500":
                    return self.error(500, "Internal Server Error")
                if fault == "garbage":
                    return self.send_json(200, None,
                                          raw=b"<html>\x1b[31mnope</html>")
            statuses = query.get("statuses[]", [])
            services = query.get("service_ids[]", [])
            teams = query.get("team_ids[]", [])
            found = [i for i in STATE["incidents"]
                     if (not statuses or i["status"] in statuses)
                     and (not services or i["service"]["id"] in services)
                     and (not teams or any(t["id"] in teams
                                           for t in i["teams"]))]
        limit = min(int(query.get("limit", ["25"])[0]), ARGS.page_max)
        offset = int(query.get("offset", ["0"])[0])
        page = found[offset:offset + limit]
        return self.send_json(200, {
            "incidents": [public(i) for i in page], "limit": limit,
            "offset": offset, "total": None,
            "more": offset + limit < len(found)})

    def list_changes(self, query):
        with LOCK:
            if STATE["changes_fault"] and STATE["changes_fault_count"] > 0:
                STATE["changes_fault_count"] -= 1
                if STATE["changes_fault"] == "500":
                    return self.error(500, "Internal Server Error")
                return self.send_json(200, None, raw=b"<html>nope</html>")
            changes = list(STATE["changes"])
        try:
            since = parse_time(query["since"][0])
        except (KeyError, ValueError):
            return self.error(400, "since must be YYYY-MM-DDThh:mm:ssZ")
        limit = int(query.get("limit", ["25"])[0])
        found = [c for c in changes if parse_time(c["timestamp"]) >= since]
        found.sort(key=lambda c: c["timestamp"], reverse=True)
        return self.send_json(200, {
            "change_events": found[:limit], "limit": limit, "offset": 0,
            "total": None, "more": len(found) > limit})

    def read_incident(self, inc, rest):
        if rest == ["alerts"]:
            return self.send_json(200, {"alerts": [{
                "id": "A" + inc["id"], "type": "alert", "status": "triggered",
                "severity": "critical", "summary": inc["title"],
                "created_at": inc["created_at"],
                "body": {"type": "alert_body",
                         "details": {"host": "web-1", "value": 0.16}}}],
                "limit": 100, "offset": 0, "more": False})
        if rest == ["notes"]:
            return self.send_json(200, {"notes": inc["_notes"]})
        if rest == ["log_entries"]:
            q = self._query
            limit = min(int(q.get("limit", ["25"])[0]), ARGS.page_max)
            offset = int(q.get("offset", ["0"])[0])
            with LOCK:
                newest = list(reversed(inc["_log"]))
            return self.send_json(200, {
                "log_entries": newest[offset:offset + limit],
                "limit": limit, "offset": offset, "total": None,
                "more": offset + limit < len(newest)})
        if rest == ["related_change_events"]:
            with LOCK:
                related = [dict(c, correlation_reason={
                    "reason": "related_service"})
                    for c in STATE["changes"]
                    if c["services"][0]["id"] == inc["service"]["id"]]
            return self.send_json(200, {"change_events": related})
        if rest == []:
            return self.send_json(200, {"incident": public(inc)})
        return self.error(404, "Not Found")

    def write_incident(self, inc, rest, body):
        with LOCK:
            if rest == [] and self.command == "PUT":
                upd = body.get("incident") or {}
                if upd.get("type") not in ("incident", "incident_reference"):
                    return self.error(400, "incident.type is required")
                if upd.get("status") in ("acknowledged", "resolved",
                                         "triggered"):
                    inc["status"] = upd["status"]
                for a in upd.get("assignments") or []:
                    who = a["assignee"]["id"]
                    inc["assignments"] = [{"assignee": {
                        "id": who, "type": "user_reference",
                        "summary": "User " + who}}]
                if "escalation_level" in upd:
                    inc["escalation_level"] = upd["escalation_level"]
                return self.send_json(200, {"incident": public(inc)})
            if rest == ["notes"] and self.command == "POST":
                content = (body.get("note") or {}).get("content")
                if not content:
                    return self.error(400, "note.content is required")
                note = {"id": "N%d" % len(inc["_notes"]),
                        "content": content,
                        "created_at": "2026-01-01T01:00:00Z",
                        "user": {"id": "PUSER", "type": "user_reference",
                                 "summary": self.headers.get("From")}}
                inc["_notes"].append(note)
                return self.send_json(200, {"note": note})
            if rest == ["status_updates"] and self.command == "POST":
                msg = body.get("message")
                if not isinstance(msg, str) or not msg:
                    return self.error(400, "message is required")
                upd = {"id": "S%d" % len(inc["_status_updates"]),
                       "message": msg,
                       "sender": self.headers.get("From")}
                inc["_status_updates"].append(upd)
                inc["_log"].append(log_entry(
                    inc, "annotate_log_entry", "Status update: " + msg,
                    time.time(), self.headers.get("From")))
                return self.send_json(200, {"status_update": upd})
            if rest == ["snooze"] and self.command == "POST":
                d = body.get("duration")
                if not isinstance(d, int) or not 1 <= d <= 604800:
                    return self.error(400, "duration must be 1..604800")
                inc["_snoozed"] = d
                inc["status"] = "acknowledged"
                return self.send_json(201, {"incident": public(inc)})
        return self.error(404, "Not Found")

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = route


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--incidents")
    p.add_argument("--generate", type=int, default=0)
    p.add_argument("--token", default="test-token")
    p.add_argument("--page-max", type=int, default=100)
    p.add_argument("--changes")
    p.add_argument("--log-entries", type=int, default=0)
    ARGS = p.parse_args()
    if ARGS.changes:
        with open(ARGS.changes) as f:
            STATE["changes"] = [make_change(i + 1, c)
                                for i, c in enumerate(json.load(f))]
    specs = []
    if ARGS.incidents:
        with open(ARGS.incidents) as f:
            specs = json.load(f)
    STATE["incidents"] = [make_incident(i + 1, s)
                          for i, s in enumerate(specs)]
    STATE["incidents"] += [make_incident(len(specs) + i + 1)
                           for i in range(ARGS.generate)]
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, args=(0.1,),
                     daemon=True).start()
    while sys.stdin.buffer.read(4096):
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
