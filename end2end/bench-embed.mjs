// Measures the pipeline widget on an intranet page against a running Genjin server with a
// large workspace: the page is served here from another origin (127.0.0.2) with the snippet;
// for each cold load, the widget's first contentful paint (inside its frame), the moment its
// cards show and it is hydrated, and every byte it transferred (document, styles, scripts,
// wasm, as sent: compressed); then the live delay of a move made through the API until the
// widget shows it.
// usage: node bench-embed.mjs BASE_URL ADMIN_TOKEN [ROUNDS] [TEAM]
import { chromium } from "@playwright/test";
import * as http from "node:http";
import * as fs from "node:fs";

const [base, token, rounds = "5", team = "t1"] = process.argv.slice(2);
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const portal = { host: "127.0.0.2", port: 4190 };
const portalOrigin = `http://${portal.host}:${portal.port}`;
const template = fs.readFileSync(new URL("./fixtures/intranet.html", import.meta.url), "utf8");

const made = await fetch(`${base}/api/v1/embeds`, {
  method: "POST",
  headers: auth,
  body: JSON.stringify({ name: `bench ${Date.now()}`, team, origins: [portalOrigin] }),
});
if (made.status !== 201) throw new Error(`creating the embed: ${made.status} ${await made.text()}`);
const { id, key } = await made.json();

const server = http.createServer((req, res) => {
  const html = template.replaceAll("{{GENJIN}}", base).replaceAll("{{KEY}}", key).replaceAll("{{LANG}}", "zh");
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
});
await new Promise((resolve) => server.listen(portal.port, portal.host, resolve));

const browser = await chromium.launch({
  executablePath: process.env.GENJIN_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function widget(page) {
  for (let i = 0; i < 400; i++) {
    const frame = page.frames().find((f) => f.url().startsWith(`${base}/embed/pipeline`));
    if (frame) return frame;
    await page.waitForTimeout(25);
  }
  throw new Error("no widget frame");
}

const samples = [];
for (let i = 0; i < Number(rounds); i++) {
  const context = await browser.newContext(); // a fresh cache: a cold load
  const page = await context.newPage();
  await page.setViewportSize({ width: 1600, height: 1000 });
  const bytes = { total: 0, wasm: 0 };
  page.on("requestfinished", async (r) => {
    if (!r.url().startsWith(base)) return;
    const sizes = await r.sizes().catch(() => null);
    if (!sizes) return;
    const n = sizes.responseBodySize + sizes.responseHeadersSize;
    bytes.total += n;
    if (r.url().endsWith(".wasm")) bytes.wasm += n;
  });
  const started = Date.now();
  await page.goto(`${portalOrigin}/intranet.html`);
  const frame = await widget(page);
  await frame.waitForSelector("section[data-status=new] li[data-code]", { timeout: 30_000 });
  const shown = Date.now() - started;
  await frame.waitForSelector("body[data-hydrated]", { timeout: 60_000 });
  const hydrated = Date.now() - started;
  const fcp = await frame.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
  await page.waitForLoadState("networkidle");
  samples.push({ fcp, shown, hydrated, total: bytes.total, wasm: bytes.wasm });
  if (process.env.GENJIN_BENCH_VERBOSE) console.log(i, JSON.stringify(samples.at(-1)));
  await context.close();
}
const pick = (k) => median(samples.map((s) => s[k]));
console.log(
  `widget, cold load, n=${samples.length} medians: first contentful paint ${pick("fcp").toFixed(0)} ms (in its frame), ` +
    `cards shown ${pick("shown")} ms and hydrated ${pick("hydrated")} ms after the portal's navigation; ` +
    `transferred ${(pick("total") / 1024).toFixed(0)} KiB from Genjin (wasm ${(pick("wasm") / 1024).toFixed(0)} KiB)`,
);

// Live delay: a move through the API until the open widget shows the card in its new column.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${portalOrigin}/intranet.html`);
  const frame = await widget(page);
  await frame.waitForSelector(".live.on", { timeout: 30_000 });
  const delays = [];
  for (let i = 0; i < Number(rounds); i++) {
    const leads = await (await fetch(`${base}/api/v1/leads?team=${team}&status=new&limit=1`, { headers: auth })).json();
    const lead = leads.items[0];
    const target = `section[data-status=contacted] li[data-code="${lead.code}"]`;
    const arrived = frame.evaluate(
      (sel) =>
        new Promise((resolve) => {
          const check = () => (document.querySelector(sel) ? resolve(Date.now()) : requestAnimationFrame(check));
          check();
        }),
      target,
    );
    const sent = Date.now();
    const moved = await fetch(`${base}/api/v1/leads/${lead.code}/move`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ to: "contacted", version: lead.version }),
    });
    if (moved.status !== 200) throw new Error(`move: ${moved.status}`);
    delays.push((await arrived) - sent);
  }
  console.log(`widget live delay (a move through the API until the widget shows it): median ${median(delays)} ms, max ${Math.max(...delays)} ms`);
  await context.close();
}

await fetch(`${base}/api/v1/embeds/${id}`, { method: "DELETE", headers: auth });
await browser.close();
server.close();
