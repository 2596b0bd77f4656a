// The follow-up plan (客户跟进计划表): a rep opens a lead's plan from its page, edits a stage,
// checks the first milestone off, takes the suggested move, and the board shows the card in
// its new column with the plan's completion.
import { test, expect } from "@playwright/test";
import { MANAGER, REP, signIn } from "./helpers";

test.describe("follow-up plan", () => {
  test("a rep edits a stage, checks a milestone off and moves the lead as the plan suggests", async ({ page, browser }) => {
    // The manager hands the rep a new lead, already in first contact.
    const manager = await browser.newPage();
    await signIn(manager, MANAGER, "/today");
    const company = `嘉兴南湖智能装备 ${Date.now()}`;
    const made = await manager.request.post("/api/v1/leads", {
      data: { source: "trade_show", company, employees: 600, budget: 150000, decision_months: 2, decision_chain: "dm_identified", owner: REP },
    });
    expect(made.status()).toBe(201);
    const lead = await made.json();
    const moved = await manager.request.post(`/api/v1/leads/${lead.code}/move`, { data: { to: "contacted", version: lead.version } });
    expect(moved.status()).toBe(200);
    await manager.close();

    await signIn(page, REP, `/leads/${lead.code}`);
    await page.locator("#plan-link").click();
    await expect(page).toHaveURL(new RegExp(`/leads/${lead.code}/plan`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(company);
    const first = page.locator("section[data-stage=initial_contact]");
    await expect(first).toContainText("当前阶段");
    await expect(first).toContainText("建立信任，明确需求负责人");

    // The rep writes the stage's goal for this customer.
    await first.getByText("编辑本阶段").click();
    await first.locator("textarea[name=goal]").fill("约设备部王总本周面谈，确认采购负责人");
    await first.getByRole("button", { name: "保存" }).click();
    await expect(page.locator(".notice").first()).toContainText("已保存初步接洽阶段的计划");
    await expect(page.locator("section[data-stage=initial_contact] .plan-items")).toContainText("约设备部王总本周面谈");

    // The milestone is reached: the plan suggests 需求明确, and one click moves the lead.
    await page.locator("section[data-stage=initial_contact]").getByRole("button", { name: "标记为已达成" }).click();
    await expect(page.locator(".notice").first()).toContainText("里程碑已达成");
    await expect(page.locator("#plan-progress")).toContainText("计划完成度 1/1");
    const suggestion = page.locator(".plan-suggest");
    await expect(suggestion).toContainText("建议将线索移至「需求明确」");
    await suggestion.getByRole("button", { name: "移至「需求明确」" }).click();
    await expect(page.locator(".notice").first()).toContainText("已移至「需求明确」");
    await expect(page.locator("section[data-stage=need_deepening]")).toContainText("当前阶段");

    // The board shows the card in its new column with the plan's completion.
    await page.goto("/board");
    const card = page.getByRole("list", { name: "需求明确", exact: true }).locator(`[data-code="${lead.code}"]`);
    await expect(card).toBeVisible();
    await expect(card.locator(".plan-mark")).toHaveText("计划 1/1");
  });
});
