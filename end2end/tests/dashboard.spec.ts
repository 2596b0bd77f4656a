// The KPI dashboard: the same numbers as /api/v1/kpis, live updates without a reload, and a
// view kept in the URL.
import { expect, test, type Page } from "@playwright/test";
import { hydrated, MANAGER, signIn } from "./helpers";

/** The dashboard's period [from, to) as the API takes it (to is the day after the last). */
async function period(page: Page): Promise<{ from: string; to: string }> {
  const from = await page.getByTestId("from").inputValue();
  const last = await page.getByTestId("to").inputValue();
  const next = new Date(`${last}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from, to: next.toISOString().slice(0, 10) };
}

/** A Shanghai calendar day's first instant, in milliseconds. */
const shanghaiMidnight = (day: string) => Date.parse(`${day}T00:00:00+08:00`);

const percent = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

async function reached(page: Page, stage: string): Promise<number> {
  const text = await page.locator(`[data-testid=funnel] [data-stage=${stage}] .reached`).textContent();
  return Number((text ?? "").replace(/,/g, "").trim());
}

test("the funnel follows a move live and the tiles match the API", async ({ page }) => {
  await signIn(page, MANAGER, "/dashboard");
  await hydrated(page);
  // The page listens to the server's events before anything changes.
  await expect(page.locator(".live.on")).toHaveCount(1, { timeout: 10_000 });

  const { from, to } = await period(page);
  const start = shanghaiMidnight(from);
  const end = shanghaiMidnight(to);
  expect(start).toBeLessThanOrEqual(Date.now());
  expect(end).toBeGreaterThan(Date.now());

  // The tiles show what the API answers for the same period.
  const api = await page.request.get(`/api/v1/kpis?from=${from}&to=${to}`);
  expect(api.ok()).toBeTruthy();
  const total = (await api.json()).total;
  await expect(page.locator("[data-kpi=new_leads] .value")).toHaveText(total.new_leads.toLocaleString("en-US"));
  if (total.conversion_rate === null) {
    await expect(page.locator("[data-kpi=conversion_rate] .value")).toHaveText("—");
  } else {
    await expect(page.locator("[data-kpi=conversion_rate] .value")).toHaveText(percent(total.conversion_rate));
  }
  const apiContacted = total.funnel.find((s: { stage: string }) => s.stage === "contacted").reached;
  await expect(page.locator("[data-testid=funnel] [data-stage=contacted] .reached")).toHaveText(
    apiContacted.toLocaleString("en-US"),
  );
  const before = await reached(page, "contacted");
  expect(before).toBe(apiContacted);

  // One of the manager's new leads created in the period…
  let lead: { code: string; version: number } | undefined;
  let cursor: string | null = null;
  for (let pageNo = 0; pageNo < 10 && !lead; pageNo++) {
    const url = `/api/v1/leads?status=new&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await page.request.get(url);
    expect(res.ok()).toBeTruthy();
    const body = await res.json();
    lead = body.items.find((l: { created_at: string }) => {
      const at = Date.parse(l.created_at);
      return at >= start && at < end;
    });
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  expect(lead, "a new lead created in the dashboard's period").toBeTruthy();

  // …moved to contacted through the API (the session cookie signs the request)…
  const moved = await page.request.post(`/api/v1/leads/${lead!.code}/move`, {
    data: { to: "contacted", version: lead!.version },
  });
  expect(moved.ok()).toBeTruthy();

  // …shows in the open dashboard's funnel without a reload.
  const url = page.url();
  await expect(page.locator("[data-testid=funnel] [data-stage=contacted] .reached")).toHaveText(
    (before + 1).toLocaleString("en-US"),
    { timeout: 10_000 },
  );
  expect(page.url()).toBe(url);
});

test("the period and slice are kept in the URL", async ({ page }) => {
  await signIn(page, MANAGER, "/dashboard");
  await hydrated(page);
  await page.getByRole("button", { name: "上月", exact: true }).click();
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-01/);
  await page.getByTestId("by").selectOption("source");
  await expect(page).toHaveURL(/by=source/);
  await expect(page.getByTestId("breakdown")).toBeVisible();
  const url = page.url();
  const { from, to } = await period(page);
  const api = await page.request.get(`/api/v1/kpis?from=${from}&to=${to}&by=source`);
  const groups = (await api.json()).groups as unknown[];
  await expect(page.locator("[data-testid=breakdown] tbody tr")).toHaveCount(groups.length);

  await page.reload();
  await hydrated(page);
  expect(page.url()).toBe(url);
  await expect(page.getByTestId("by")).toHaveValue("source");
  expect(await period(page)).toEqual({ from, to });
  await expect(page.locator("[data-testid=breakdown] tbody tr")).toHaveCount(groups.length);
});
