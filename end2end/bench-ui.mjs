// Measures the board's and the dashboard's first paint from a cold load in headless Chromium
// (Performance API), against a running Genjin server with a large workspace.
// usage: node bench-ui.mjs BASE_URL USER PASSWORD [ROUNDS]
import { chromium } from "@playwright/test";

const [base, user, password, rounds = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.GENJIN_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking"],
});

async function signedInContext() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login?next=/board`);
  await page.fill("#user", user);
  await page.fill("#password", password);
  await page.click(".login-form button[type=submit]");
  await page.waitForURL((url) => url.pathname === "/board", { timeout: 60_000 });
  await page.close();
  return context;
}

async function measure(context, path, ready) {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${base}${path}`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(ready, { timeout: 20_000 }).catch(async (e) => {
    console.error(`not shown: ${page.url()}`, (await page.content()).slice(0, 1500));
    throw e;
  });
  const wall = Date.now() - started;
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return { ttfb: nav.responseStart, fcp: paint ? paint.startTime : null, load: nav.loadEventEnd };
  });
  await page.waitForSelector("body[data-hydrated]", { timeout: 60_000 });
  const interactive = await page.evaluate(() => performance.now());
  await page.close();
  return { ...timing, wall, interactive };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, path, ready] of [
  ["board", "/board", "section[data-status=new] li[data-code]"],
  ["dashboard", "/dashboard", "[data-testid=funnel]"],
]) {
  const samples = [];
  for (let i = 0; i < Number(rounds); i++) {
    const context = await signedInContext(); // a fresh cache each round: a cold load
    samples.push(await measure(context, path, ready));
    if (process.env.GENJIN_BENCH_VERBOSE) console.log(name, i, JSON.stringify(samples.at(-1)));
    await context.close();
  }
  const pick = (k) => median(samples.map((s) => s[k] ?? NaN)).toFixed(0);
  console.log(`${name.padEnd(10)} n=${samples.length} median: TTFB ${pick("ttfb")} ms, first contentful paint ${pick("fcp")} ms, content shown ${pick("wall")} ms, hydrated ${pick("interactive")} ms`);
}
// A drag: how many animation frames until the card shows in its new column (optimistic), and
// how long until a second signed-in browser sees it there (server push), per move.
{
  const ctxA = await signedInContext();
  const ctxB = await signedInContext();
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  await a.setViewportSize({ width: 1800, height: 1000 });
  for (const page of [a, b]) {
    await page.goto(`${base}/board`);
    await page.waitForSelector("body[data-hydrated]", { timeout: 60_000 });
  }
  await b.waitForTimeout(500); // the event stream is open
  const frames = [];
  const seen = [];
  for (let i = 0; i < Number(rounds); i++) {
    const card = a.locator("section[data-status=new] li[data-code]").first();
    const code = await card.getAttribute("data-code");
    const target = `section[data-status=contacted] li[data-code="${code}"]`;
    // The second browser notes the moment the card arrives (Date.now: same machine clock).
    const arrived = b.evaluate(
      (sel) =>
        new Promise((resolve) => {
          const check = () => document.querySelector(sel) && (resolve(Date.now()), true);
          if (check()) return;
          new MutationObserver((_, obs) => check() && obs.disconnect()).observe(document.body, {
            childList: true,
            subtree: true,
          });
        }),
      target,
    );
    // The first counts frames from the drop until the card is in the new column.
    await a.evaluate((sel) => {
      window.__moved = new Promise((resolve) => {
        document.addEventListener(
          "pointerup",
          () => {
            let n = 0;
            const tick = () => (document.querySelector(sel) ? resolve({ frames: n, at: Date.now() }) : (n++, requestAnimationFrame(tick)));
            queueMicrotask(tick);
          },
          { once: true, capture: false },
        );
      });
    }, target);
    const from = await card.locator(".card-meta").boundingBox();
    const to = await a.locator("section[data-status=contacted]").boundingBox();
    await a.mouse.move(from.x + 10, from.y + from.height / 2);
    await a.mouse.down();
    for (let s = 1; s <= 8; s++) {
      await a.mouse.move(from.x + 10 + ((to.x + to.width / 2 - from.x - 10) * s) / 8, from.y + ((to.y + 120 - from.y) * s) / 8);
    }
    await a.mouse.up();
    const moved = await a.evaluate(() => window.__moved);
    frames.push(moved.frames);
    seen.push((await arrived) - moved.at);
    await a.waitForTimeout(300);
  }
  console.log(`drag       n=${frames.length} animation frames from the drop until the card shows in its new column (1 = the next frame): median ${median(frames)}, max ${Math.max(...frames)}`);
  console.log(`live       n=${seen.length} another browser sees the move after: median ${median(seen)} ms, max ${Math.max(...seen)} ms`);
  await ctxA.close();
  await ctxB.close();
}
await browser.close();
