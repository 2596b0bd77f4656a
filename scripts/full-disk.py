#!/usr/bin/env python3
"""Genjin on a disk that fills up: writes are refused with a clear error (507, code
`storage_full`) while reads go on answering; nothing acknowledged is lost; once space is
freed writes succeed again; and after SIGKILL the database opens again whole (no corruption).

The database lives on a small tmpfs (64 MiB) mounted for the run, which needs root (CI runs as
root); elsewhere the script says so and exits 0 without testing. Standard library only.

usage: full-disk.py GENJIN_BINARY
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ADMIN = "full-disk-admin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"})
    res = conn.getresponse()
    data = res.read()
    conn.close()
    return res.status, json.loads(data) if data else None


def lead(n):
    return {"source": "web_form", "company": f"满盘测试{n}有限公司", "industry": "互联网", "region": "华东",
            "contact_name": "李娜", "phone": f"137{n:08d}", "need": "服务器升级", "budget": 100000}


def start(binary, db, port, env, log):
    proc = subprocess.Popen([binary, "--db", db, "--addr", f"127.0.0.1:{port}", "--demo", "--demo-leads", "200"],
                            env=env, stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(600):
        if proc.poll() is not None:
            sys.exit(f"Genjin did not start (exit {proc.returncode}); see {log.name}")
        try:
            if call(port, "GET", "/api/v1/leads?limit=1")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("Genjin did not answer within a minute")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    mount = tempfile.mkdtemp(prefix="genjin-full-disk-")
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount],
                                            capture_output=True).returncode != 0:
        print("full disk: not tested (mounting a small tmpfs needs root)")
        return
    log = open(os.path.join(tempfile.gettempdir(), "genjin-full-disk.log"), "wb")
    proc = None
    try:
        port = free_port()
        env = dict(os.environ, GENJIN_ADMIN_TOKEN=ADMIN, RUST_LOG="warn", LEPTOS_OUTPUT_NAME="genjin",
                   LEPTOS_SITE_ROOT=os.path.join(mount, "site"), LEPTOS_SITE_PKG_DIR="pkg")
        db = f"surrealkv://{mount}/genjin.db"
        proc = start(binary, db, port, env, log)
        made = {}
        for n in range(20):
            status, body = call(port, "POST", "/api/v1/leads", lead(n))
            assert status == 201, (status, body)
            made[body["code"]] = body["version"]
        # Fill the disk to the last byte.
        filler = os.path.join(mount, "filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * (1 << 20))
                    f.flush()
            except OSError:
                pass
        # Every write is refused, clearly, and the server stays up for reading.
        refused = 0
        for n in range(100, 110):
            status, body = call(port, "POST", "/api/v1/leads", lead(n))
            if status == 201:
                made[body["code"]] = body["version"]  # it fitted in what was left
                continue
            assert status == 507, f"a write on a full disk answered {status}: {body}"
            assert body["error"]["code"] == "storage_full", body
            assert "disk is full" in body["error"]["message"], body
            refused += 1
        assert refused >= 5, f"only {refused} of 10 writes were refused on a full disk"
        status, page = call(port, "GET", "/api/v1/leads?limit=50")
        assert status == 200, f"reading on a full disk answered {status}"
        assert call(port, "GET", "/api/v1/kpis?from=2000-01-01&to=2100-01-01")[0] == 200
        print(f"full disk: {refused} writes refused with 507 storage_full; reads answer 200")
        # Space freed: writes go through again.
        os.remove(filler)
        status, body = call(port, "POST", "/api/v1/leads", lead(200))
        assert status == 201, f"after freeing space a write answered {status}: {body}"
        made[body["code"]] = body["version"]
        # A crash after all that: the database opens whole, with every acknowledged lead.
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc = start(binary, db, port, env, log)
        for code, version in made.items():
            status, body = call(port, "GET", f"/api/v1/leads/{code}")
            assert status == 200 and body["version"] >= version, f"{code}: {status} {body}"
        print(f"full disk: space freed, writes succeed again; after SIGKILL all {len(made)} acknowledged leads are there")
    finally:
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait()
        subprocess.run(["umount", mount])
        shutil.rmtree(mount, ignore_errors=True)


if __name__ == "__main__":
    main()
