// Evaluating the follow-up (PRODUCT.md §8, §14): the lead form's conversion potential follows
// the budget as it is typed, the lead page shows the lead's value, and the weekly report
// prints without the app around it.
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
});
