#!/usr/bin/env python3
"""Measures a running Genjin server: p50/p95 of /api/v1/kpis (a quarter, whole and sliced by
owner) and of moves, sequential requests on one keep-alive connection. Standard library only.

usage: bench.py BASE_URL TOKEN FROM TO [ROUNDS]
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
