#!/usr/bin/env python3
"""Kills Genjin with SIGKILL in the middle of writes, ROUNDS times in a row, on one embedded
surrealkv database, and proves after every restart that nothing acknowledged was lost:

- every lead whose creation was answered 201 is there, with its company;
- every lead stands at least at the version of the last write answered for it (a move, a
  follow-up, an edit), and at exactly that write's status when nothing later landed;
- every task answered 201 is there;
- every tenth round Genjin gets SIGTERM instead, in the middle of writes and with an event
  stream open: the stream ends, the writes in flight are answered, it exits within 15 s;
- every tenth round but five, and the last, the writes stop first and the KPIs of the view
  they built (each write followed as it came) are read before the kill: the restarted
  server, reading everything from the database, answers the same.

Writes in flight when the server died are "in doubt": they may or may not have landed, and
either is right. Standard library only.

With --memtable BYTES the database's memtable is that small (`surrealkv_max_memtable_size`),
so it is rotated and flushed every few writes: the writes that land as it rotates are the
ones a storage engine is likeliest to lose (vendor/surrealkv/GENJIN.md).

usage: crash.py GENJIN_BINARY [--rounds 100] [--dir DIR] [--leads 300] [--memtable BYTES]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ADMIN = "crash-admin"
EVERYTHING = "/api/v1/kpis?from=2000-01-01&to=2100-01-01"
NEXT = {"new": "contacted", "contacted": "qualified", "qualified": "proposal", "proposal": "negotiation"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, port, token):
        self.port, self.token = port, token
        self.conn = None

    def call(self, method, path, body=None, timeout=30):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        try:
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            res = self.conn.getresponse()
            data = res.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        try:
            return res.status, json.loads(data) if data else None
        except ValueError:
            return res.status, data.decode(errors="replace")


class Ledger:
    """What the server acknowledged, and what was in flight when it died."""

    def __init__(self):
        self.lock = threading.Lock()
        self.leads = {}       # code -> (version, status) last acknowledged
        self.companies = {}   # code -> company, for leads whose creation was acknowledged
        self.tasks = {}       # task id -> lead code
        self.acknowledged = 0
        self.in_doubt = 0

    def lead(self, lead):
        with self.lock:
            code = lead["code"]
            known = self.leads.get(code)
            if known is None or lead["version"] >= known[0]:
                self.leads[code] = (lead["version"], lead["status"])
            self.acknowledged += 1


def new_lead(n):
    return {"source": random.choice(["web_form", "trade_show", "referral", "cold_call"]),
            "company": f"崩溃测试{n}科技有限公司", "industry": "互联网", "region": "华东", "employees": 120,
            "contact_name": "李娜", "contact_title": "技术总监", "phone": f"139{n:08d}"[:11],
            "need": "服务器升级", "budget": 150000, "decision_months": 2, "decision_chain": "dm_engaged"}


def writer(port, tokens, ledger, stop, seed):
    rng = random.Random(seed)
    admin = Api(port, ADMIN)
    reps = {k: Api(port, t) for k, t in tokens.items()}
    n = seed * 1_000_000
    while not stop.is_set():
        n += 1
        with ledger.lock:
            codes = list(ledger.leads)
        kind = rng.choice(["create", "move", "move", "follow_up", "edit", "task"])
        try:
            if kind == "create" or not codes:
                status, body = admin.call("POST", "/api/v1/leads", new_lead(n))
                if status == 201:
                    ledger.lead(body)
                    with ledger.lock:
                        ledger.companies[body["code"]] = body["company"]
                continue
            code = rng.choice(codes)
            status, lead = admin.call("GET", f"/api/v1/leads/{code}")
            if status != 200:
                continue
            if kind == "move" and lead["status"] in NEXT:
                status, body = admin.call("POST", f"/api/v1/leads/{code}/move",
                                          {"to": NEXT[lead["status"]], "version": lead["version"]})
                if status == 200:
                    ledger.lead(body)
            elif kind == "follow_up" and lead.get("owner") in reps:
                at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 300))
                status, body = reps[lead["owner"]].call("POST", f"/api/v1/leads/{code}/interactions", {
                    "occurred_at": at, "channel": "phone", "direction": "outbound", "responded": True,
                    "satisfaction": 4, "summary": f"崩溃测试{n}"})
                if status == 201:
                    ledger.lead(body["lead"])
            elif kind == "edit":
                status, body = admin.call("PATCH", f"/api/v1/leads/{code}",
                                          {"version": lead["version"], "budget": 100000 + n % 1000})
                if status == 200:
                    ledger.lead(body)
            elif kind == "task":
                due = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
                status, body = admin.call("POST", "/api/v1/tasks",
                                          {"lead": code, "due_at": due, "title": f"任务{n}", "priority": "important"})
                if status == 201:
                    with ledger.lock:
                        ledger.tasks[body["id"]] = code
                        ledger.acknowledged += 1
        except (OSError, http.client.HTTPException):
            # The server died with this write in flight: it may or may not have landed.
            with ledger.lock:
                ledger.in_doubt += 1
            time.sleep(0.05)


class EventStream:
    """An open /api/v1/events stream, read on a thread; `ended` is set when the server ends it."""

    def __init__(self, port):
        self.ended = threading.Event()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.request("GET", "/api/v1/events", headers={"Authorization": f"Bearer {ADMIN}"})
        self.res = self.conn.getresponse()
        if self.res.status != 200:
            raise SystemExit(f"the event stream answered {self.res.status}")
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        try:
            while self.res.readline():
                pass
        except (OSError, http.client.HTTPException):
            pass
        self.ended.set()


class Genjin:
    def __init__(self, binary, db, port, env):
        self.binary, self.db, self.port, self.env = binary, db, port, env
        self.proc = None

    def start(self, demo_leads=None):
        args = [self.binary, "--db", self.db, "--addr", f"127.0.0.1:{self.port}", "--follow", "off"]
        if demo_leads:
            args += ["--demo", "--demo-leads", str(demo_leads)]
        self.log = open(self.db.split("://", 1)[1] + ".log", "ab")
        self.proc = subprocess.Popen(args, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 300
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"Genjin did not start on {self.db}:\n{self.tail()}")
            try:
                status, _ = Api(self.port, ADMIN).call("GET", "/api/v1/leads?limit=1", timeout=5)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise SystemExit("Genjin did not answer within 5 minutes")

    def tail(self):
        self.log.flush()
        with open(self.log.name, "rb") as f:
            return f.read()[-3000:].decode(errors="replace")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            raise SystemExit("SIGTERM did not stop Genjin within 15 s")
        if code != 0:
            raise SystemExit(f"Genjin exited with {code} on SIGTERM:\n{self.tail()}")
        # Stopped gracefully, Genjin closes its database: what the log holds beyond 16 MiB is
        # flushed to the store's tables, so the next start has at most that much to replay.
        wal = os.path.join(self.db.split("://", 1)[1].split("?", 1)[0], "wal")
        logged = sum(os.path.getsize(os.path.join(wal, f)) for f in os.listdir(wal)) if os.path.isdir(wal) else 0
        if logged > FLUSH_ON_CLOSE_MIN_BYTES + (1 << 20):
            raise SystemExit(f"after SIGTERM the database's log still holds {logged} bytes to replay:\n{self.tail()}")


# Less than this is left in the log when the database is closed (vendor/surrealdb-kvs-surrealkv,
# FLUSH_ON_CLOSE_MIN_BYTES).
FLUSH_ON_CLOSE_MIN_BYTES = 16 << 20


def check(api, ledger, round_no):
    problems = []
    with ledger.lock:
        leads = dict(ledger.leads)
        companies = dict(ledger.companies)
        tasks = dict(ledger.tasks)
    standing = {}
    cursor = None
    while True:
        path = "/api/v1/leads?limit=200" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        s, page = api.call("GET", path)
        if s != 200:
            raise SystemExit(f"round {round_no}: the lead list answered {s}: {page}")
        standing.update({lead["code"]: lead for lead in page["items"]})
        cursor = page.get("next_cursor")
        if not cursor:
            break
    for code, (version, status) in leads.items():
        lead = standing.get(code)
        if lead is None:
            problems.append(f"{code}: acknowledged, now missing")
            continue
        if lead["version"] < version:
            problems.append(f"{code}: version {lead['version']} < acknowledged {version}")
        elif lead["version"] == version and lead["status"] != status:
            problems.append(f"{code}: status {lead['status']} at version {version}, acknowledged {status}")
        if code in companies and lead["company"] != companies[code]:
            problems.append(f"{code}: company {lead['company']!r}, acknowledged {companies[code]!r}")
    by_lead = {}
    for task, code in tasks.items():
        by_lead.setdefault(code, set()).add(task)
    for code, ids in by_lead.items():
        s, page = api.call("GET", f"/api/v1/tasks?lead={code}&limit=500")
        have = {t["id"] for t in (page or {}).get("items", [])} if s == 200 else set()
        for task in ids - have:
            problems.append(f"task {task} of {code}: acknowledged, now missing")
    if problems:
        print(f"round {round_no}: {len(problems)} acknowledged writes lost:", *problems[:20], sep="\n  ")
        sys.exit(1)


def same_but_rounding(a, b):
    """Equal but for floating-point rounding (a KPI's terms summed in another order)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_but_rounding(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_but_rounding(x, y) for x, y in zip(a, b))
    return a == b


def kpis(api):
    return [api.call("GET", EVERYTHING)[1], api.call("GET", EVERYTHING + "&by=owner")[1],
            api.call("GET", EVERYTHING + "&by=source")[1]]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("--rounds", type=int, default=100)
    p.add_argument("--leads", type=int, default=300)
    p.add_argument("--dir")
    p.add_argument("--memtable", type=int, help="surrealkv's memtable size in bytes (default: Genjin's)")
    args = p.parse_args()
    work = args.dir or tempfile.mkdtemp(prefix="genjin-crash-")
    shutil.rmtree(os.path.join(work, "crash.db"), ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, GENJIN_ADMIN_TOKEN=ADMIN, RUST_LOG="error", LEPTOS_OUTPUT_NAME="genjin",
               LEPTOS_SITE_ROOT=os.path.join(work, "site"), LEPTOS_SITE_PKG_DIR="pkg")
    url = f"surrealkv://{work}/crash.db"
    if args.memtable:
        url += f"?surrealkv_max_memtable_size={args.memtable}"
    server = Genjin(args.binary, url, free_port(), env)
    server.start(demo_leads=args.leads)
    api = Api(server.port, ADMIN)
    # The reps' tokens (kept in the database: they outlive every crash).
    tokens = {}
    for user in api.call("GET", "/api/v1/users")[1]["items"]:
        if user["role"] != "admin":
            tokens[user["key"]] = api.call("POST", "/api/v1/tokens", {"user": user["key"], "label": "crash"})[1]["token"]
    ledger = Ledger()
    # The demo's leads as they stand are where the writes start.
    for lead in api.call("GET", "/api/v1/leads?limit=200")[1]["items"]:
        ledger.leads[lead["code"]] = (lead["version"], lead["status"])
    rng = random.Random(7)
    started = time.time()
    for round_no in range(1, args.rounds + 1):
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(server.port, tokens, ledger, stop, round_no * 10 + i))
                   for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 2.0))
        # Most rounds: SIGKILL in the middle of writes. Every tenth: SIGTERM in the middle of
        # writes with an event stream open (the stream ends, the writes in flight are answered,
        # the server exits). Every tenth but five, and the last: the writes stop, the KPIs of
        # the view the writes built are read, and then SIGKILL.
        how = "SIGTERM" if round_no % 10 == 0 else "SIGKILL"
        compare = round_no % 10 == 5 or round_no == args.rounds
        before = None
        if how == "SIGTERM":
            stream = EventStream(server.port)
            server.stop()
            if not stream.ended.wait(5):
                print(f"round {round_no}: an event stream stayed open after SIGTERM")
                sys.exit(1)
            stop.set()
        elif compare:
            stop.set()
            for t in threads:
                t.join()
            before = kpis(Api(server.port, ADMIN))
            server.kill()
        else:
            server.kill()
            stop.set()
        for t in threads:
            t.join()
        server.start()
        api = Api(server.port, ADMIN)
        check(api, ledger, round_no)
        if before is not None:
            after = kpis(api)
            if not same_but_rounding(after, before):
                print(f"round {round_no}: the KPIs the running server kept differ from a fresh server's")
                print(json.dumps(before, ensure_ascii=False)[:3000])
                print(json.dumps(after, ensure_ascii=False)[:3000])
                sys.exit(1)
        print(f"round {round_no:3}: {how}; {ledger.acknowledged} writes acknowledged so far, {ledger.in_doubt} in "
              f"doubt, {len(ledger.leads)} leads and {len(ledger.tasks)} tasks checked"
              + ("; the KPIs the writes built equal a fresh server's" if before is not None else ""), flush=True)
    server.stop()
    print(f"{args.rounds} rounds in {time.time() - started:.0f} s: nothing acknowledged was lost")


if __name__ == "__main__":
    main()
