// Score review (评分审核): a manager overrides a part of a lead's score with a reason on its
// score page, and the rep's open board shows the card's new grade without a reload; the
// override, its author and reason show on the lead page; the manager's queue lists a new
// lead's score until it is confirmed.
import { test, expect } from "@playwright/test";
import { MANAGER, REP, hydrated, signIn } from "./helpers";

type Parts = { company_size: number; budget_match: number; urgency: number; decision_chain: number; total: number };
const MAX: Record<string, number> = { company_size: 30, budget_match: 30, urgency: 20, decision_chain: 20 };
const grade = (total: number) => (total >= 80 ? "S" : total >= 60 ? "A" : total >= 40 ? "B" : "C");

/** One part and the points that, set alone, change the lead's grade. */
function regrading(score: Parts): { part: string; points: number; total: number } {
  for (const part of Object.keys(MAX)) {
    const now = score[part as keyof Parts];
    for (const points of [0, MAX[part]]) {
      const total = score.total - now + points;
      if (grade(total) !== grade(score.total)) return { part, points, total };
    }
  }
  throw new Error(`no single override changes the grade of ${JSON.stringify(score)}`);
}

test.describe("score review", () => {
  test("a manager overrides a part of a lead's score and the rep's board shows the new grade live", async ({ page, browser }) => {
    await signIn(page, REP);
    await hydrated(page);
    await expect(page.locator(".live.on")).toBeVisible();
    // One of the rep's open leads on the board.
    const open = ["new", "contacted", "qualified", "proposal", "negotiation"].map((s) => `section[data-status=${s}] [data-code]`);
    const code = (await page.locator(open.join(", ")).first().getAttribute("data-code"))!;

    const others = await browser.newContext();
    const manager = await others.newPage();
    await signIn(manager, MANAGER, "/today");
    const lead = await (await manager.request.get(`/api/v1/leads/${code}`)).json();
    const change = regrading(lead.score);
    const reason = `客户口头确认预算与决策情况与系统不符 ${Date.now()}`;
    await manager.goto(`/leads/${code}/score`);
    const row = manager.locator(`tr[data-part=${change.part}]`);
    await row.locator("input[name=points]").fill(String(change.points));
    await row.locator("input[name=reason]").fill(reason);
    await row.getByRole("button", { name: "保存调整" }).click();
    await expect(manager.locator(".notice")).toContainText(`已调整 ${code} 的`);
    await expect(manager.locator("#score-total")).toHaveText(String(change.total));
    await expect(manager.locator(`tr[data-part=${change.part}] .said`)).toContainText(reason);

    // The rep's open board follows at once.
    const chip = page.locator(`[data-code="${code}"] .grade-chip`);
    await expect(chip).toHaveText(grade(change.total), { timeout: 2_000 });
    // The lead page shows who overrode which part and why.
    await page.goto(`/leads/${code}`);
    await expect(page.locator(".score-overrides")).toContainText(reason);
    await expect(page.locator("#score-total")).toHaveText(String(change.total));
    // A rep sees the score page without the forms.
    await page.goto(`/leads/${code}/score`);
    await expect(page.locator(`tr[data-part=${change.part}] .said`)).toContainText(reason);
    await expect(page.getByRole("button", { name: "保存调整" })).toHaveCount(0);

    // Restoring the rules' points brings the grade back.
    await manager.goto(`/leads/${code}/score`);
    await manager.locator(`tr[data-part=${change.part}]`).getByRole("button", { name: "恢复规则得分" }).click();
    await expect(manager.locator("#score-total")).toHaveText(String(lead.score.total));
    await others.close();
  });

  test("a new lead's score waits on the manager's queue until confirmed", async ({ page }) => {
    await signIn(page, MANAGER, "/today");
    const company = `绍兴柯桥纺织印染 ${Date.now()}`;
    const made = await page.request.post("/api/v1/leads", {
      data: { source: "referral", company, employees: 80, budget: 60000, decision_months: 4, owner: REP },
    });
    expect(made.status()).toBe(201);
    const code: string = (await made.json()).code;
    await page.goto("/today");
    await page.locator("#review-link").click();
    await expect(page).toHaveURL(/\/review$/);
    const row = page.locator(`tr[data-lead="${code}"]`);
    await expect(row).toContainText(company);
    await expect(row).toContainText("新线索");
    await row.getByRole("button", { name: "确认" }).click();
    await expect(page.locator(".notice")).toContainText(`已确认 ${code} 的评分`);
    await expect(page.locator(`tr[data-lead="${code}"]`)).toHaveCount(0);
  });
});
