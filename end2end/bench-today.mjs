// Measures My day's first paint from a cold load in headless Chromium (Performance API), for
// each user named, against a running Genjin server with a large workspace. My day is
// rendered by the server alone: its first paint is the page.
// usage: node bench-today.mjs BASE_URL PASSWORD ROUNDS USER[:PATH] ...
import { chromium } from "@playwright/test";

const [base, password, rounds, ...who] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.GENJIN_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const spec of who) {
  const [user, path = "/today"] = spec.split(":");
  const samples = [];
  for (let i = 0; i < Number(rounds); i++) {
    const context = await browser.newContext(); // a fresh cache each round: a cold load
    const page = await context.newPage();
    await page.goto(`${base}/login?next=${encodeURIComponent(path)}`);
    await page.fill("#user", user);
    await page.fill("#password", password);
    await page.click(".login-form button[type=submit]");
    await page.waitForURL((url) => url.pathname === "/today", { timeout: 60_000 });
    await page.close();
    const cold = await context.newPage();
    await cold.bringToFront();
    await cold.goto(`${base}${path}`, { waitUntil: "load" });
    samples.push(
      await cold.evaluate(
        () =>
          new Promise((resolve) => {
            const nav = performance.getEntriesByType("navigation")[0];
            const done = (fcp) => resolve({ ttfb: nav.responseStart, fcp, load: nav.loadEventEnd });
            // The paint entry may come after the load event: wait for it (buffered).
            new PerformanceObserver((list) => {
              const paint = list.getEntriesByName("first-contentful-paint")[0];
              if (paint) done(paint.startTime);
            }).observe({ type: "paint", buffered: true });
            setTimeout(() => done(NaN), 5000);
          }),
      ),
    );
    await context.close();
  }
  const pick = (k) => median(samples.map((s) => s[k])).toFixed(0);
  console.log(`${(user + " " + path).padEnd(24)} n=${samples.length} median: TTFB ${pick("ttfb")} ms, first contentful paint ${pick("fcp")} ms, loaded ${pick("load")} ms`);
}
await browser.close();
