#!/usr/bin/env python3
"""Measures evaluating the follow-up on a running Genjin server (the 100k-lead demo): a lead's
value, the conversion potential's model (its state, and fitting it again on every closed
lead), the strategy comparison, the team alert, the weekly report (JSON, xlsx and the
printable view), the period comparison (JSON and xlsx) and the leads list by activity tier
through the API; the value, strategies, analyses and weekly-report pages the
server renders, for the manager and the admin; p50/p95 of sequential requests on one
keep-alive connection. Standard library only.

usage: bench_evaluation.py BASE_URL ADMIN_TOKEN FROM TO WEEK MONTH [ROUNDS]
(e.g. 2026-07-01 2026-10-01 2026-W40 2026-09 20). The demo's manager r11 (token
genjin-demo-manager, password genjin-demo) and the admin are measured.
"""
import http.client
import json
import sys
import urllib.parse

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from bench import report, sign_in, timed, timed_page  # noqa: E402


def before(start, end):
    """The first day of the period as long as [start, end) that ends where it starts."""
    import datetime

    a, b = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    return (a - (b - a)).isoformat()


def main():
    base, admin, start, end, week, month = sys.argv[1:7]
    rounds = int(sys.argv[7]) if len(sys.argv) > 7 else 20
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    tokens = {"admin": admin, "manager": "genjin-demo-manager"}
    status, payload, _ = timed(conn, "GET", "/api/v1/leads?status=negotiation&limit=1", tokens["manager"])
    assert status == 200, payload[:200]
    code = json.loads(payload)["items"][0]["code"]
    api = [
        ("lead's value", "manager", f"/api/v1/leads/{code}/value?lang=zh"),
        ("lead (page data, with its value)", "manager", f"/api/v1/leads/{code}"),
        ("value model state", "manager", "/api/v1/value/model"),
        ("strategies, quarter (manager)", "manager", f"/api/v1/strategies?from={start}&to={end}"),
        ("strategies, quarter (admin)", "admin", f"/api/v1/strategies?from={start}&to={end}"),
        ("team alert (admin)", "admin", f"/api/v1/alerts/teams?month={month}"),
        ("weekly report, team t1 (JSON)", "manager", f"/api/v1/reports/weekly?week={week}&team=t1"),
        ("weekly report, everything (admin, JSON)", "admin", f"/api/v1/reports/weekly?week={week}"),
        ("weekly report, team t1 (xlsx)", "manager", f"/api/v1/reports/weekly?week={week}&team=t1&format=xlsx"),
        ("weekly report, team t1 (printable)", "manager", f"/api/v1/reports/weekly?week={week}&team=t1&format=html"),
        ("period comparison, quarter vs the one before (manager, JSON)", "manager", f"/api/v1/kpis/compare?from={start}&to={end}&cfrom={before(start, end)}&cto={start}"),
        ("period comparison by source (admin, xlsx)", "admin", f"/api/v1/kpis/compare?from={start}&to={end}&cfrom={before(start, end)}&cto={start}&by=source&format=xlsx"),
        ("leads list, a tier (manager, page of 50)", "manager", "/api/v1/leads?tier=potential&limit=50"),
        ("leads list, a tier (admin, page of 50)", "admin", "/api/v1/leads?tier=dormant&limit=50"),
    ]
    for name, who, path in api:
        samples = []
        for _ in range(rounds):
            status, payload, ms = timed(conn, "GET", path, tokens[who])
            assert status == 200, (path, status, payload[:200])
            samples.append(ms)
        report(name, samples)
    # Fitting the model on every closed lead (an admin's refit; the hourly round does the same).
    samples = []
    for _ in range(max(3, rounds // 5)):
        status, payload, ms = timed(conn, "POST", "/api/v1/value/model", tokens["admin"], {})
        assert status == 200, (status, payload[:200])
        samples.append(ms)
    report("model fit on every closed lead (POST /api/v1/value/model)", samples)
    model = json.loads(payload)["model"]
    print(f"  model: sample {model['sample']} closed leads, AUC {model['quality']['auc']:.3f} on {model['quality']['held_out']} held out")
    for who, user, password in [("manager", "r11", "genjin-demo"), ("admin", "admin", "genjin-demo")]:
        cookie = sign_in(conn, base, user, password)
        assert cookie, f"{user} signs in"
        pages = [
            (f"/value page, {who}", "/value"),
            (f"/strategies page, {who}", f"/strategies?from={start}&to={end}"),
            (f"/analyses page, quarter, {who}", f"/analyses?from={start}&to={end}"),
            (f"/reports/weekly page, {who}", f"/reports/weekly?week={week}"),
        ]
        if who == "manager":
            pages.append(("/leads/{code} page (with its value card), manager", f"/leads/{code}"))
        for name, path in pages:
            samples = []
            for _ in range(rounds):
                status, payload, ms = timed_page(conn, path, cookie)
                assert status == 200, (path, status, payload[:200])
                samples.append(ms)
            report(name, samples)


if __name__ == "__main__":
    main()
