// Measures the board's and the dashboard's first paint from a cold load in headless Chromium
// (Performance API), against a running Genjin server with a large workspace.
// usage: node bench-ui.mjs BASE_URL USER PASSWORD [ROUNDS]
import { chromium } from "@playwright/test";

const [base, user, password, rounds = "5"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.GENJIN_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

async function signedInContext() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login?next=/board`);
  await page.fill("#user", user);
  await page.fill("#password", password);
  await page.click(".login-form button[type=submit]");
  await page.waitForURL(/\/board$/, { timeout: 60_000 });
  await page.close();
  return context;
}

async function measure(context, path, ready) {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${base}${path}`, { waitUntil: "commit" });
  await page.waitForSelector(ready, { timeout: 60_000 });
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
    await context.close();
  }
  const pick = (k) => median(samples.map((s) => s[k] ?? NaN)).toFixed(0);
  console.log(`${name.padEnd(10)} n=${samples.length} median: TTFB ${pick("ttfb")} ms, first contentful paint ${pick("fcp")} ms, content shown ${pick("wall")} ms, hydrated ${pick("interactive")} ms`);
}
await browser.close();
