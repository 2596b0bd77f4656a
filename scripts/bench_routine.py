#!/usr/bin/env python3
"""Measures the daily routine on a running Genjin server (the 100k-lead demo): My day for the
rep and for the manager's team (the page the server renders), the open tasks and the
response-SLA lists through the API, the feedback page and stats for a quarter, the score
review (queue, a lead's score page, an override and its removal) and a lead's follow-up plan
(API and page, a milestone checked and unchecked); the reminders' badge for the rep and the
manager; p50/p95 of sequential requests on one
keep-alive connection. Standard library only.

usage: bench_routine.py BASE_URL ADMIN_TOKEN FROM TO [ROUNDS]
The demo's manager and rep (r11 and r14, password genjin-demo; tokens genjin-demo-manager and
genjin-demo-rep) are measured.
"""
import http.client
import sys
import urllib.parse

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from bench import report, sign_in, timed, timed_page  # noqa: E402


def main():
    base, admin, start, end = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 30
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    tokens = {"admin": admin, "manager": "genjin-demo-manager", "rep": "genjin-demo-rep"}
    api = [
        ("tasks, rep's open", "rep", "/api/v1/tasks?owner=r14"),
        ("tasks, manager's open (team)", "manager", "/api/v1/tasks"),
        ("tasks, admin's due today", "admin", "/api/v1/tasks?due_before=" + urllib.parse.quote(end + "T00:00:00Z")),
        ("sla, manager", "manager", "/api/v1/sla"),
        ("sla, admin (every lead)", "admin", "/api/v1/sla"),
        ("feedback stats, quarter (admin)", "admin", f"/api/v1/feedback/stats?from={start}&to={end}"),
        ("feedback list, quarter (admin)", "admin", f"/api/v1/feedback?from={start}&to={end}"),
        ("score review queue, manager (30 days)", "manager", "/api/v1/score-review"),
        ("score review queue, admin (30 days)", "admin", "/api/v1/score-review"),
        ("plan templates", "rep", "/api/v1/plan-templates"),
        ("reminders, rep", "rep", "/api/v1/reminders"),
        ("reminders, manager", "manager", "/api/v1/reminders"),
    ]
    for name, who, path in api:
        samples = []
        for _ in range(rounds):
            status, payload, ms = timed(conn, "GET", path, tokens[who])
            assert status == 200, (path, status, payload[:200])
            samples.append(ms)
        report(name, samples)
    # One of the manager's open leads, for the per-lead figures.
    status, payload, _ = timed(conn, "GET", "/api/v1/leads?status=qualified&limit=1", tokens["manager"])
    assert status == 200, payload[:200]
    import json
    lead = json.loads(payload)["items"][0]
    code = lead["code"]
    for name, path in [("lead's plan (API)", f"/api/v1/leads/{code}/plan"), ("lead (API, with its plan's completion)", f"/api/v1/leads/{code}")]:
        samples = []
        for _ in range(rounds):
            status, payload, ms = timed(conn, "GET", path, tokens["manager"])
            assert status == 200, (path, status, payload[:200])
            samples.append(ms)
        report(name, samples)
    # Writes: an override set and removed, a milestone checked and unchecked, in turns.
    writes = {"override (set or remove)": [], "milestone (check or uncheck)": []}
    for i in range(rounds):
        status, payload, _ = timed(conn, "GET", f"/api/v1/leads/{code}", tokens["manager"])
        version = json.loads(payload)["version"]
        body = {"part": "urgency", "points": (5 if i % 2 == 0 else None), "reason": "bench", "version": version}
        status, payload, ms = timed(conn, "PUT", f"/api/v1/leads/{code}/override", tokens["manager"], body)
        assert status == 200, (status, payload[:200])
        writes["override (set or remove)"].append(ms)
        version = json.loads(payload)["version"]
        body = {"stage": "need_deepening", "reached": i % 2 == 0, "version": version}
        status, payload, ms = timed(conn, "POST", f"/api/v1/leads/{code}/milestones", tokens["manager"], body)
        assert status == 200, (status, payload[:200])
        writes["milestone (check or uncheck)"].append(ms)
    for name, samples in writes.items():
        report(name, samples)
    for who, user in [("rep", "r14"), ("manager", "r11")]:
        cookie = sign_in(conn, base, user, "genjin-demo")
        assert cookie, f"{user} signs in"
        pages = [(f"/today page, {who}", "/today")]
        if who == "manager":
            pages.append(("/today page, manager's team", "/today?scope=team"))
            pages.append(("/feedback page, quarter, manager", f"/feedback?from={start}&to={end}"))
            pages.append(("/review page (score review), manager", "/review"))
            pages.append(("/leads/{code}/score page, manager", f"/leads/{code}/score"))
            pages.append(("/leads/{code}/plan page, manager", f"/leads/{code}/plan"))
        for name, path in pages:
            samples = []
            for _ in range(rounds):
                status, payload, ms = timed_page(conn, path, cookie)
                assert status == 200, (path, status, payload[:200])
                samples.append(ms)
            report(name, samples)


if __name__ == "__main__":
    main()
