// Evaluating the follow-up (PRODUCT.md §7, §8, §14): the lead form's conversion potential follows
// the budget as it is typed, the lead page shows the lead's value, the leads list and the
// board show each lead's activity tier, the weekly report prints without the app around it,
// and the dashboard's period comparison downloads as a workbook.
import { test, expect } from "@playwright/test";
import { ADMIN, MANAGER, hydrated, signIn } from "./helpers";

test.describe("customer value and the weekly report", () => {
  test("the lead form's potential and its factors change as the budget changes", async ({ page }) => {
    await signIn(page, ADMIN, "/today");
    // The model, fitted now on the demo's closed leads (the hourly round does it at start).
    const fitted = await page.request.post("/api/v1/value/model", { data: {} });
    expect(fitted.status()).toBe(200);
    expect((await fitted.json()).model.sample).toBeGreaterThanOrEqual(200);

    await page.goto("/leads/new");
    await hydrated(page);
    await page.locator("#company").fill(`湖州潜力测算科技有限公司 ${Date.now()}`);
    await page.locator("#source").selectOption("referral");
    await page.locator("#employees").fill("300");
    const live = page.locator(".potential-live");
    await expect(live.locator(".potential-note")).toContainText("按本工作区已结案线索拟合的模型");
    await expect(live.locator("li.factor").first()).toBeVisible();
    const budget = live.locator("li[data-factor=budget_match] .amount");
    const probability = live.locator(".probability");
    // Without a budget, the budget's factor weighs nothing.
    const without = await probability.textContent();
    await expect(budget).toHaveText(/^[+−]0\.00$/);

    // A budget twice the reference deal: the budget match scores, and its factor and the
    // probability move with it, as typed.
    await page.locator("#budget").pressSequentially("200000");
    await expect(budget).not.toHaveText(/^[+−]0\.00$/);
    await expect(probability).not.toHaveText(without ?? "");
    const withBudget = await budget.textContent();
    await page.locator("#budget").fill("1000");
    await expect(budget).not.toHaveText(withBudget ?? "");
  });

  test("a lead's page shows its activity, potential and lifetime value", async ({ page }) => {
    await signIn(page, MANAGER, "/today");
    const leads = await (await page.request.get("/api/v1/leads?status=won&limit=1")).json();
    const code = leads.items[0].code;
    const value = await (await page.request.get(`/api/v1/leads/${code}/value`)).json();
    await page.goto(`/leads/${code}`);
    const card = page.locator(".value-card");
    await expect(card).toContainText("客户价值");
    await expect(card.locator(".activity-score")).toHaveText(String(value.activity.score));
    await expect(card.locator(".tier")).toHaveText({ active: "活跃", potential: "潜力", dormant: "沉睡" }[value.activity.tier as string]!);
    await expect(card.locator(".factors li")).toHaveCount(Math.min(6, value.potential.factors.length));
  });

  test("the weekly report prints without the app around it", async ({ page }) => {
    await page.addInitScript(() => {
      (window as any).__printed = 0;
      window.print = () => {
        (window as any).__printed += 1;
      };
    });
    await signIn(page, MANAGER, "/today");
    await page.goto("/reports/weekly?scope=team:t1");
    await expect(page.locator("#weekly-title")).toContainText("周报");
    const kpis = page.locator("#report-kpis");
    await expect(kpis.locator("tr[data-kpi=new_leads]")).toBeVisible();
    // The week's KPIs are the KPIs API's for the same week and team.
    const week = await page.locator("select[name=week]").inputValue();
    const report = await (await page.request.get(`/api/v1/reports/weekly?week=${week}&team=t1`)).json();
    await expect(kpis.locator("tr[data-kpi=new_leads] td.this")).toHaveText(String(report.kpis.new_leads));

    await page.getByRole("button", { name: "打印" }).click();
    expect(await page.evaluate(() => (window as any).__printed)).toBe(1);
    // On paper: no top bar, tabs or forms; the report is all there.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".topbar")).toBeHidden();
    await expect(page.locator(".admin-tabs")).toBeHidden();
    await expect(page.getByRole("button", { name: "打印" })).toBeHidden();
    await expect(kpis).toBeVisible();
    await expect(page.locator("#report-risks")).toBeVisible();
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");

    // The printable view stands alone; the workbook downloads.
    const printable = await page.request.get(`/api/v1/reports/weekly?week=${week}&team=t1&format=html`);
    expect(printable.status()).toBe(200);
    expect(await printable.text()).toContain("本周指标（与上周对比）");
    const xlsx = await page.request.get(`/api/v1/reports/weekly?week=${week}&team=t1&format=xlsx`);
    expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  });

  test("the leads list filters and sorts by activity tier, and the board's cards show it", async ({ page }) => {
    await signIn(page, MANAGER, "/leads");
    await hydrated(page);
    const names: Record<string, string> = { active: "活跃", potential: "潜力", dormant: "沉睡" };
    await page.locator("#filter-tier").selectOption("dormant");
    await expect(page).toHaveURL(/tier=dormant/);
    const api = await (await page.request.get("/api/v1/leads?tier=dormant&limit=50")).json();
    expect(api.items.length).toBeGreaterThan(0);
    const rows = page.locator(".lead-table tbody tr");
    await expect(rows).toHaveCount(api.items.length);
    await expect(rows.locator(".tier:not(.dormant)")).toHaveCount(0);
    await expect(rows.locator(".tier.dormant")).toHaveCount(api.items.length);
    await expect(rows.first().locator(".tier")).toHaveText("沉睡");

    // Every tier, most active first: the scores of the loaded rows never rise.
    await page.locator("#filter-tier").selectOption("");
    await page.locator("#lead-sort").selectOption("activity_desc");
    await expect(page).toHaveURL(/sort=activity_desc/);
    await expect(page).not.toHaveURL(/tier=/);
    const titles = await rows.locator(".tier").evaluateAll((els) => els.map((e) => e.getAttribute("title") ?? ""));
    const scores = titles.map((t) => Number((t.match(/(\d+)\/100/) ?? ["", "-1"])[1]));
    expect(scores.length).toBeGreaterThan(0);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // The board: an open lead's card carries its tier as the API reads it now.
    await page.goto("/board");
    await hydrated(page);
    const card = page.locator("section[data-status=new] .deal-card").first();
    await expect(card).toBeVisible();
    const code = await card.getAttribute("data-code");
    const value = await (await page.request.get(`/api/v1/leads/${code}/value`)).json();
    await expect(card.locator(".tier")).toHaveText(names[value.activity.tier]);
  });

  test("the dashboard's period comparison downloads as a workbook", async ({ page }) => {
    await signIn(page, MANAGER, "/dashboard");
    await hydrated(page);
    const link = page.getByTestId("compare-export");
    await expect(link).toHaveAttribute("href", /\/api\/v1\/kpis\/compare\?from=.*&cfrom=.*&format=xlsx/);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^kpi-comparison-.*\.xlsx$/);
    const file = await download.path();
    const fs = await import("node:fs");
    expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe("PK");
  });
});
