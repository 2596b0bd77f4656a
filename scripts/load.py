#!/usr/bin/env python3
"""Load on a running Genjin server, as a sales floor makes it: USERS people signed in to the
app at once (the demo workspace's admin, managers and reps, several people per account as
several tabs and devices), each opening the board and lead pages, paging and filtering the
lead list, reading KPIs, moving cards one stage on and logging follow-ups, with a short pause
between actions; and STREAMS live event streams held open the whole time (wall screens and
intranet pages following the board), which hear every change.

Prints p50/p95/p99 per request kind and exits non-zero when any request failed (anything but
2xx; a move answered 409 because someone else moved the card first is counted apart, as the
board shows it) or a stream dropped.

usage: load.py BASE_URL ADMIN_TOKEN [--users 200] [--streams 2000] [--seconds 120]
               [--from YYYY-MM-DD --to YYYY-MM-DD] [--think 1.0]

The streams need watcher accounts (a user may hold 8 streams): the script makes `STREAMS/8`
managers named w001… once (no leads are assigned to them: their capacity is 0) and an API
token for each. Needs aiohttp (scripts/load.sh installs the pinned version).
"""
import argparse
import asyncio
import json
import math
import random
import resource
import sys
import time
import urllib.parse
from collections import defaultdict

import aiohttp

DEMO_PASSWORD = "genjin-demo"
# The demo workspace's accounts: the admin, three team managers and twelve reps.
DEMO_USERS = ["admin"] + [f"r{t}{n}" for t in (1, 2, 3) for n in range(1, 6)]
NEXT_STAGE = {"new": "contacted", "contacted": "qualified", "qualified": "proposal", "proposal": "negotiation"}
STREAMS_PER_WATCHER = 8
LIST_FILTERS = ["", "status=new", "status=contacted", "status=qualified", "grade=A", "grade=S",
                "source=web_form", "q=" + urllib.parse.quote("科技"), "q=" + urllib.parse.quote("有限")]


class Stats:
    def __init__(self):
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.conflicts = 0
        self.examples = []

    def ok(self, kind, ms):
        self.times[kind].append(ms)

    def failed(self, kind, status, text):
        self.errors[kind] += 1
        if len(self.examples) < 10:
            self.examples.append(f"{kind}: {status} {text[:200]}")


def pct(sorted_ms, p):
    if not sorted_ms:
        return float("nan")
    k = max(0, min(len(sorted_ms) - 1, math.ceil(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[k]


async def timed(stats, http, kind, method, url, **kw):
    start = time.perf_counter()
    try:
        async with http.request(method, url, **kw) as res:
            body = await res.read()
            ms = (time.perf_counter() - start) * 1000
            return res.status, body, ms
    except (aiohttp.ClientError, asyncio.TimeoutError) as e:
        stats.failed(kind, "connection", repr(e))
        return None, b"", 0.0


async def sign_in(http, base, user):
    form = {"user": user, "password": DEMO_PASSWORD, "next": "/board"}
    async with http.post(f"{base}/rpc/sign_in", data=form, allow_redirects=False,
                         headers={"Origin": base, "Sec-Fetch-Site": "same-origin"}) as res:
        await res.read()
        cookie = res.cookies.get("genjin_session")
        if cookie is None:
            raise SystemExit(f"{user} could not sign in ({res.status}): is this the demo workspace?")
        return f"genjin_session={cookie.value}"


class Person:
    """One person at work in the app: their account's cookie and the leads they have seen."""

    def __init__(self, base, user, cookie, args, stats, http):
        self.base, self.user, self.args, self.stats, self.http = base, user, args, stats, http
        self.page_headers = {"Cookie": cookie}
        self.write_headers = {"Cookie": cookie, "Origin": base, "Sec-Fetch-Site": "same-origin",
                              "Content-Type": "application/json"}
        self.leads = []  # (code, status, version, owner)
        self.rng = random.Random(hash(user) ^ id(self))

    async def get(self, kind, path, ok=(200,)):
        status, body, ms = await timed(self.stats, self.http, kind, "GET", self.base + path, headers=self.page_headers)
        if status in ok:
            self.stats.ok(kind, ms)
            return body
        if status is not None:
            self.stats.failed(kind, status, body.decode(errors="replace"))
        return None

    async def post(self, kind, path, doc):
        status, body, ms = await timed(self.stats, self.http, kind, "POST", self.base + path,
                                       headers=self.write_headers, data=json.dumps(doc))
        return status, body, ms

    def remember(self, body):
        try:
            items = json.loads(body)["items"]
        except (ValueError, KeyError, TypeError):
            return
        fresh = [(l["code"], l["status"], l["version"], l.get("owner")) for l in items]
        if fresh:
            self.leads = fresh

    async def list_leads(self):
        query = self.rng.choice(LIST_FILTERS)
        body = await self.get("lead list (API)", f"/api/v1/leads?limit=50&{query}")
        if body:
            self.remember(body)

    async def board(self):
        await self.get("board page", "/board")

    async def lead_page(self):
        if not self.leads:
            return await self.list_leads()
        code = self.rng.choice(self.leads)[0]
        await self.get("lead page", f"/leads/{code}")

    async def kpis(self):
        by = self.rng.choice(["", "&by=owner", "&by=source"])
        await self.get("KPIs", f"/api/v1/kpis?from={self.args.from_}&to={self.args.to}{by}")

    async def move(self):
        open_leads = [l for l in self.leads if l[1] in NEXT_STAGE]
        if not open_leads:
            body = await self.get("lead list (API)", "/api/v1/leads?limit=50&status=new")
            if body:
                self.remember(body)
            return
        i = self.rng.randrange(len(open_leads))
        code, status, version, owner = open_leads[i]
        s, body, ms = await self.post("move", f"/api/v1/leads/{code}/move", {"to": NEXT_STAGE[status], "version": version})
        if s == 200:
            self.stats.ok("move", ms)
            lead = json.loads(body)
            self.update(code, lead)
        elif s == 409:
            # Someone moved it first: the answer is the lead as it stands (with the error).
            self.stats.conflicts += 1
            try:
                self.update(code, json.loads(body))
            except ValueError:
                pass
        elif s is not None:
            self.stats.failed("move", s, body.decode(errors="replace"))

    def update(self, code, lead):
        if not isinstance(lead, dict) or "status" not in lead:
            return
        self.leads = [(c, lead["status"], lead.get("version", v), o) if c == code else (c, st, v, o)
                      for (c, st, v, o) in self.leads]

    async def follow_up(self):
        # A follow-up is logged by the lead's owner: the admin has no leads of their own.
        mine = [l for l in self.leads if l[3] == self.user]
        if not mine:
            return await self.list_leads()
        code = self.rng.choice(mine)[0]
        now = time.time()
        occurred = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - self.rng.randint(60, 3600)))
        doc = {"occurred_at": occurred, "channel": self.rng.choice(["phone", "wechat", "visit", "email"]),
               "direction": self.rng.choice(["outbound", "outbound", "inbound"]),
               "responded": self.rng.random() < 0.7, "satisfaction": self.rng.randint(2, 5),
               "summary": "电话沟通需求，约下周演示"}
        s, body, ms = await self.post("follow-up", f"/api/v1/leads/{code}/interactions", doc)
        if s in (200, 201):
            self.stats.ok("follow-up", ms)
        elif s == 409:
            # The lead kept changing under it (Genjin writes it again a few times first).
            self.stats.conflicts += 1
        elif s is not None:
            self.stats.failed("follow-up", s, body.decode(errors="replace"))

    async def work(self, until):
        await self.list_leads()
        actions = [(self.board, 15), (self.lead_page, 20), (self.list_leads, 20), (self.kpis, 10),
                   (self.move, 15), (self.follow_up, 15)]
        kinds, weights = zip(*actions)
        # People do not all start in the same second.
        await asyncio.sleep(self.rng.uniform(0, self.args.think))
        while time.monotonic() < until:
            await self.rng.choices(kinds, weights)[0]()
            await asyncio.sleep(self.rng.expovariate(1 / self.args.think))


async def watch(base, token, stats, http, until, heard):
    """One open event stream, read until the end; a stream that ends early is an error."""
    try:
        async with http.get(f"{base}/api/v1/events", headers={"Authorization": f"Bearer {token}"},
                            timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as res:
            if res.status != 200:
                stats.failed("event stream", res.status, (await res.read()).decode(errors="replace"))
                return
            stats.ok("event stream opened", 0.0)
            while time.monotonic() < until:
                try:
                    line = await asyncio.wait_for(res.content.readline(), timeout=max(0.1, until - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                if not line:
                    stats.failed("event stream", "ended", "the server closed a stream")
                    return
                if line.startswith(b"data:"):
                    heard[0] += 1
    except (aiohttp.ClientError, asyncio.TimeoutError) as e:
        stats.failed("event stream", "connection", repr(e))


async def watchers(base, admin, count, http):
    """API tokens of `count` watcher accounts (managers who own no leads), made once."""
    auth = {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"}
    tokens = []
    for i in range(count):
        key = f"w{i + 1:03d}"
        team = f"t{i % 3 + 1}"
        user = {"key": key, "name": f"看板屏{i + 1:03d}", "role": "manager", "seniority": "manager",
                "team": team, "region": "华东", "industries": [], "max_open_leads": 0}
        async with http.post(f"{base}/api/v1/users", headers=auth, data=json.dumps(user)) as res:
            text = await res.text()
            # Made by an earlier run on this workspace: the account is there.
            if res.status not in (201, 409) and not (res.status == 422 and '"duplicate"' in text):
                raise SystemExit(f"could not make watcher {key}: {res.status} {text[:300]}")
        async with http.post(f"{base}/api/v1/tokens", headers=auth,
                             data=json.dumps({"user": key, "label": "load test"})) as res:
            if res.status != 201:
                raise SystemExit(f"could not make a token for {key}: {res.status} {(await res.text())[:300]}")
            tokens.append((await res.json())["token"])
    return tokens


async def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("base")
    p.add_argument("admin_token")
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--streams", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=120)
    p.add_argument("--think", type=float, default=1.0, help="mean pause between a person's actions, seconds")
    p.add_argument("--from", dest="from_", default="2026-07-01")
    p.add_argument("--to", default="2026-10-01")
    args = p.parse_args()
    base = args.base.rstrip("/")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stats = Stats()
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        print(f"setting up: {math.ceil(args.streams / STREAMS_PER_WATCHER)} watcher accounts, "
              f"{len(DEMO_USERS)} demo accounts signing in", flush=True)
        tokens = await watchers(base, args.admin_token, math.ceil(args.streams / STREAMS_PER_WATCHER), http)
        cookies = {u: await sign_in(http, base, u) for u in DEMO_USERS}
        heard = [0]
        started = time.monotonic()
        until = started + args.seconds
        streams = [asyncio.create_task(watch(base, tokens[i // STREAMS_PER_WATCHER], stats, http, until, heard))
                   for i in range(args.streams)]
        # The streams open first, then people start working.
        await asyncio.sleep(min(5.0, args.seconds / 10))
        opened = len(stats.times["event stream opened"])
        print(f"{opened} event streams open; {args.users} people working for {args.seconds:.0f} s", flush=True)
        people = [Person(base, u, cookies[u], args, stats, http)
                  for u in (DEMO_USERS[i % len(DEMO_USERS)] for i in range(args.users))]
        await asyncio.gather(*(p.work(until) for p in people))
        await asyncio.gather(*streams)
        elapsed = time.monotonic() - started

    total = sum(len(v) for k, v in stats.times.items() if k != "event stream opened")
    print(f"\n{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s), {args.users} people, "
          f"{opened} streams open, {heard[0]} events heard, {stats.conflicts} writes answered 409 (someone changed the lead first)")
    print(f"{'kind':<18} {'n':>7} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'max ms':>9} {'errors':>7}")
    kinds = sorted(set(stats.times) | set(stats.errors))
    for kind in kinds:
        if kind == "event stream opened":
            continue
        t = sorted(stats.times[kind])
        print(f"{kind:<18} {len(t):>7} {pct(t, 50):>9.1f} {pct(t, 95):>9.1f} {pct(t, 99):>9.1f} "
              f"{(t[-1] if t else float('nan')):>9.1f} {stats.errors[kind]:>7}")
    errors = sum(stats.errors.values())
    if errors:
        print(f"\n{errors} errors, for example:")
        for e in stats.examples:
            print("  " + e)
        sys.exit(1)
    print("no errors")


if __name__ == "__main__":
    asyncio.run(main())
