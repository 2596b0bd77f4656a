// The pipeline widget on an intranet page (PRODUCT.md §15): the sample portal
// (fixtures/intranet.html) is served from another origin (127.0.0.2) with the admin's snippet;
// the widget shows team t1's board sized to its content, follows a move made in the app within
// a second, is refused by the browser on a page whose origin the embed does not allow, stops
// with a plain notice when revoked, and never sends a cookie.
import { test, expect, type Page, type Request } from "@playwright/test";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { MANAGER, hydrated, signIn } from "./helpers";

const ADMIN_TOKEN = process.env.GENJIN_ADMIN_TOKEN ?? "genjin-e2e-admin";
const GENJIN = `http://127.0.0.1:${Number(process.env.GENJIN_E2E_PORT ?? 3100)}`;
const ALLOWED = { host: "127.0.0.2", port: 4100 };
const OTHER = { host: "127.0.0.3", port: 4101 };
const page_of = (o: { host: string; port: number }) => `http://${o.host}:${o.port}`;

const template = fs.readFileSync(path.join(__dirname, "..", "fixtures", "intranet.html"), "utf8");
const servers: http.Server[] = [];

/** The sample intranet page on another origin: its snippet names the embed key in the address. */
function serve(o: { host: string; port: number }): Promise<void> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", page_of(o));
    if (url.pathname !== "/intranet.html") {
      res.writeHead(404).end();
      return;
    }
    const html = template
      .replaceAll("{{GENJIN}}", GENJIN)
      .replaceAll("{{KEY}}", url.searchParams.get("key") ?? "")
      .replaceAll("{{LANG}}", url.searchParams.get("lang") ?? "zh");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(o.port, o.host, () => resolve()));
}

test.beforeAll(async () => {
  await serve(ALLOWED);
  await serve(OTHER);
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function makeEmbed(page: Page): Promise<{ id: string; key: string }> {
  const made = await page.request.post(`${GENJIN}/api/v1/embeds`, {
    headers: admin,
    data: { name: `华东门户 ${Date.now()}`, team: "t1", origins: [page_of(ALLOWED)] },
  });
  expect(made.status()).toBe(201);
  return made.json();
}

/** Every request the intranet page and the widget's frame make to Genjin, to check none carries
 * a cookie. A request the app's own page (signed in just before) still makes while it is left,
 * such as its reminders poll, is the app's and rightly carries the session. */
function recordGenjinRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(GENJIN)) return;
    let frame;
    try {
      frame = r.frame();
    } catch {
      return;
    }
    const fromWidget = frame !== page.mainFrame();
    const fromIntranet = frame.url().startsWith(page_of(ALLOWED));
    if (fromWidget || fromIntranet) seen.push(r);
  });
  return seen;
}

test.describe("the pipeline widget on an intranet page", () => {
  test("shows team t1's board sized to its content, live, and without cookies", async ({ page }) => {
    const { key } = await makeEmbed(page);
    // Signed in to Genjin in the same browser: the widget must still send no cookie.
    await signIn(page, MANAGER, "/board");
    await hydrated(page);
    const requests = recordGenjinRequests(page);
    await page.goto(`${page_of(ALLOWED)}/intranet.html?key=${key}`);
    const iframe = page.locator("iframe.genjin-embed");
    await expect(iframe).toHaveCount(1);
    const frame = page.frameLocator("iframe.genjin-embed");
    await expect(frame.locator("body[data-hydrated]")).toHaveCount(1);
    await expect(frame.locator(".embed-title")).toContainText("销售看板");
    await expect(frame.locator(".live.on")).toHaveCount(1, { timeout: 10_000 });

    // Only team t1's leads, as the API lists them for that team.
    const t1 = await (await page.request.get(`${GENJIN}/api/v1/leads?team=t1&status=new&limit=5`, { headers: admin })).json();
    const shown = await frame.locator("section[data-status=new] .deal-card").evaluateAll((cards) =>
      cards.map((c) => c.getAttribute("data-code")),
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toContain(t1.items[0].code);
    const t2 = await (await page.request.get(`${GENJIN}/api/v1/leads?team=t2&limit=200`, { headers: admin })).json();
    const everywhere = await frame.locator(".deal-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-code")));
    for (const lead of t2.items) expect(everywhere).not.toContain(lead.code);
    // Read-only: no links into the app, nothing to drag.
    await expect(frame.locator(".deal-card a")).toHaveCount(0);
    await expect(frame.locator(".deal-card[aria-roledescription]")).toHaveCount(0);

    // The frame is as tall as the board inside it.
    await expect
      .poll(async () => {
        const outer = (await iframe.boundingBox())?.height ?? 0;
        const inner = await frame.locator("body").evaluate((b) => b.getBoundingClientRect().height);
        return Math.abs(outer - inner) <= 2 && outer > 200;
      })
      .toBe(true);

    // A move made in the app appears in the widget within a second.
    const lead = t1.items[0];
    const moved = await page.request.post(`${GENJIN}/api/v1/leads/${lead.code}/move`, {
      headers: admin,
      data: { to: "qualified", version: lead.version },
    });
    expect(moved.status()).toBe(200);
    await expect(frame.locator(`section[data-status=qualified] [data-code="${lead.code}"]`)).toHaveCount(1, { timeout: 1_000 });
    await expect(frame.locator(`section[data-status=new] [data-code="${lead.code}"]`)).toHaveCount(0);

    // Not one request from the widget carried a cookie.
    expect(requests.length).toBeGreaterThan(2);
    for (const r of requests) {
      const headers = await r.allHeaders();
      expect(headers["cookie"], r.url()).toBeUndefined();
    }
  });

  test("a page whose origin the embed does not allow cannot show it", async ({ page }) => {
    const { key } = await makeEmbed(page);
    await page.goto(`${page_of(OTHER)}/intranet.html?key=${key}`);
    await expect(page.locator("iframe.genjin-embed")).toHaveCount(1);
    // The browser puts its own error page in the frame instead of the widget.
    await expect.poll(() => page.frames().some((f) => f.url().startsWith("chrome-error://"))).toBe(true);
    await expect(page.frameLocator("iframe.genjin-embed").locator(".embed-board")).toHaveCount(0);
    // The same embed shows on the page it allows.
    await page.goto(`${page_of(ALLOWED)}/intranet.html?key=${key}`);
    await expect(page.frameLocator("iframe.genjin-embed").locator(".embed-board")).toHaveCount(1);
  });

  test("a revoked embed stops updating and says so plainly", async ({ page }) => {
    const { id, key } = await makeEmbed(page);
    await page.goto(`${page_of(ALLOWED)}/intranet.html?key=${key}&lang=en`);
    const frame = page.frameLocator("iframe.genjin-embed");
    await expect(frame.locator(".live.on")).toHaveCount(1, { timeout: 10_000 });
    const revoked = await page.request.delete(`${GENJIN}/api/v1/embeds/${id}`, { headers: admin });
    expect(revoked.status()).toBe(200);
    await expect(frame.locator(".embed-revoked")).toHaveText(/no longer shared/, { timeout: 5_000 });
    await expect(frame.locator(".deal-card")).toHaveCount(0);
    // A reload shows the plain notice too.
    await page.reload();
    await expect(page.frameLocator("iframe.genjin-embed").locator(".embed-revoked")).toContainText("no longer shared");
  });

  test("an admin creates an embed and copies its snippet once", async ({ page }) => {
    await signIn(page, "admin", "/admin/embeds");
    await page.locator("input[name=name]").fill("销售大屏");
    await page.locator("select[name=team]").selectOption("t1");
    await page.locator("textarea[name=origins]").fill(`${page_of(ALLOWED)}\nhttps://intranet.example.com`);
    await page.getByRole("button", { name: "创建" }).click();
    const key = (await page.getByTestId("embed-key").textContent()) ?? "";
    expect(key).toMatch(/^gje_[0-9a-f]{48}$/);
    await expect(page.getByTestId("embed-snippet")).toContainText(`data-key="${key}"`);
    // Listed without its key; shown nowhere again.
    await page.goto("/admin/embeds");
    await expect(page.locator("tr", { hasText: "销售大屏" })).toContainText("intranet.example.com");
    expect(await page.content()).not.toContain(key);
    // Revoked from the list.
    await page.locator("tr", { hasText: "销售大屏" }).getByRole("button", { name: "撤销" }).click();
    await expect(page.locator("tr", { hasText: "销售大屏" })).toContainText("已撤销");
  });
});
