#!/usr/bin/env python3
"""Measures a running Genjin server: p50/p95 of /api/v1/kpis (a quarter, whole and sliced by
owner), of the lead list (every filter and the text search, a second page, for the admin, a
manager and a rep, through the API and as the /leads page the server renders) and of moves;
sequential requests on one keep-alive connection. Standard library only.

usage: bench.py BASE_URL TOKEN FROM TO [ROUNDS]
The demo workspace's manager and rep (tokens genjin-demo-manager / genjin-demo-rep, users r11
and r14 with the password genjin-demo) are measured too when they exist.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def timed(conn, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = json.dumps(body).encode() if body is not None else None
    start = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    res = conn.getresponse()
    payload = res.read()
    elapsed = (time.perf_counter() - start) * 1000
    return res.status, payload, elapsed


def report(name, samples):
    samples = sorted(samples)
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{name:<34} n={len(samples):<4} p50={p50:8.2f} ms  p95={p95:8.2f} ms  max={samples[-1]:8.2f} ms")


def timed_page(conn, path, cookie):
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    res = conn.getresponse()
    payload = res.read()
    return res.status, payload, (time.perf_counter() - start) * 1000


def sign_in(conn, base, user, password):
    """A browser session for `user`: the session cookie's name=value."""
    body = urllib.parse.urlencode({"user": user, "password": password, "next": "/leads"})
    conn.request("POST", "/rpc/sign_in", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": base, "Sec-Fetch-Site": "same-origin"})
    res = conn.getresponse()
    res.read()
    for header, value in res.getheaders():
        if header.lower() == "set-cookie" and "genjin_session=" in value:
            return value.split(";", 1)[0]
    return None


# The lead list's filters as a user would combine them: none, each filter alone, the text
# search on a company word and on phone digits, and a filter with the search.
LIST_QUERIES = [
    ("newest first", ""),
    ("status=qualified", "status=qualified"),
    ("grade=A", "grade=A"),
    ("source=web_form", "source=web_form"),
    ("tag=重点客户", "tag=" + urllib.parse.quote("重点客户")),
    ("q=科技 (company)", "q=" + urllib.parse.quote("科技")),
    ("q=138 (phone digits)", "q=138"),
    ("status=new&q=有限", "status=new&q=" + urllib.parse.quote("有限")),
]


def bench_lists(conn, base, who, token, rounds, cookie):
    for label, query in LIST_QUERIES:
        path = f"/api/v1/leads?limit=50&{query}"
        status, payload, _ = timed(conn, "GET", path, token)  # warm up
        assert status == 200, (status, payload[:200])
        report(f"{who} list {label}", [timed(conn, "GET", path, token)[2] for _ in range(rounds)])
    # The second page, through the cursor of the first.
    status, payload, _ = timed(conn, "GET", "/api/v1/leads?limit=50", token)
    cursor = json.loads(payload).get("next_cursor")
    if cursor:
        path = "/api/v1/leads?limit=50&cursor=" + urllib.parse.quote(cursor)
        report(f"{who} list page 2", [timed(conn, "GET", path, token)[2] for _ in range(rounds)])
    if cookie:
        for label, query in [("", ""), ("?q=科技", "?q=" + urllib.parse.quote("科技"))]:
            path = "/leads" + query
            status, payload, _ = timed_page(conn, path, cookie)
            assert status == 200, (status, payload[:200])
            report(f"{who} /leads page{label}", [timed_page(conn, path, cookie)[2] for _ in range(rounds)])


def main():
    base, token, frm, to = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 30
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)

    for label, query in [("kpis quarter (total)", ""), ("kpis quarter by=owner", "&by=owner")]:
        path = f"/api/v1/kpis?from={frm}&to={to}{query}"
        status, _, _ = timed(conn, "GET", path, token)  # warm up
        assert status == 200, status
        report(label, [timed(conn, "GET", path, token)[2] for _ in range(rounds)])

    users = [("admin", token, "admin"), ("manager", "genjin-demo-manager", "r11"), ("rep", "genjin-demo-rep", "r14")]
    for who, user_token, user in users:
        status, _, _ = timed(conn, "GET", "/api/v1/leads?limit=1", user_token)
        if status != 200:
            print(f"({who}: no demo token {user_token}, skipped)")
            continue
        cookie = sign_in(conn, base, user, "genjin-demo")
        bench_lists(conn, base, who, user_token, rounds, cookie)

    # Moves: walk leads that are still open one step along the pipeline.
    status, payload, _ = timed(conn, "GET", "/api/v1/leads?status=new&limit=200", token)
    assert status == 200, payload
    leads = json.loads(payload)["items"]
    samples = []
    for lead in leads[: max(rounds, 50)]:
        status, payload, ms = timed(
            conn, "POST", f"/api/v1/leads/{lead['code']}/move", token, {"to": "contacted", "version": lead["version"]}
        )
        assert status == 200, payload
        samples.append(ms)
    report("move new -> contacted", samples)


if __name__ == "__main__":
    main()
