// My day (我的今日): the rep's start page. Logging a follow-up from a task row completes the
// task and the row leaves; a task a manager plans for the rep appears without a reload; a
// manager sees who on the team is behind.
import { test, expect } from "@playwright/test";
import { MANAGER, REP, signIn } from "./helpers";

test.describe("my day", () => {
  test("signing in lands on My day, and a follow-up logged from a task row takes the row away", async ({ page, browser }) => {
    // The manager hands the rep a new lead and plans its next follow-up for a minute from now.
    const manager = await browser.newPage();
    await signIn(manager, MANAGER, "/today");
    const company = `宁波海曙精工机械 ${Date.now()}`;
    const made = await manager.request.post("/api/v1/leads", {
      data: { source: "trade_show", company, employees: 300, budget: 80000, owner: REP },
    });
    expect(made.status()).toBe(201);
    const code: string = (await made.json()).code;
    const next = new Date(Date.now() + 60_000).toISOString();
    const logged = await manager.request.post(`/api/v1/leads/${code}/interactions`, {
      data: { occurred_at: new Date().toISOString(), channel: "phone", direction: "outbound", responded: true, next_follow_up_at: next },
    });
    expect(logged.status()).toBe(201);
    await manager.close();

    await page.goto("/login");
    await page.locator("#user").fill(REP);
    await page.locator("#password").fill("genjin-demo");
    await page.locator(".login-form button[type=submit]").click();
    await expect(page).toHaveURL(/\/today$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("我的今日");
    const tasks = page.locator("section[aria-labelledby=today-tasks]");
    const row = tasks.locator(`.today-row[data-lead="${code}"]`);
    await expect(row).toContainText(company);
    await row.getByText("记录跟进").click();
    await row.locator("textarea[name=summary]").fill("电话确认了下周的演示时间");
    await row.getByRole("button", { name: "保存跟进" }).click();
    await expect(page.locator(".notice")).toContainText(`已记录 ${code} 的跟进`);
    await expect(tasks.locator(`.today-row[data-lead="${code}"]`)).toHaveCount(0);
    // The follow-up is on the lead's timeline.
    await page.goto(`/leads/${code}`);
    await expect(page.locator(".timeline")).toContainText("电话确认了下周的演示时间");
  });

  test("a task the manager plans for the rep appears on the rep's open page without a reload", async ({ page, browser }) => {
    await signIn(page, REP, "/today");
    const tasks = page.locator("section[aria-labelledby=today-tasks]");
    // One of the rep's open leads.
    const mine = await (await page.request.get("/api/v1/leads?status=contacted&limit=1")).json();
    const code: string = mine.items[0].code;
    const manager = await browser.newPage();
    await signIn(manager, MANAGER, "/today?scope=team");
    await expect(manager.getByRole("heading", { name: "谁落后了" })).toBeVisible();
    const title = `请技术支持准备演示环境 ${Date.now()}`;
    const made = await manager.request.post("/api/v1/tasks", {
      data: { lead: code, due_at: new Date().toISOString(), title, priority: "urgent_important", owner: REP },
    });
    expect(made.status()).toBe(201);
    const row = tasks.locator(".today-row").filter({ hasText: title });
    await expect(row).toBeVisible();
    await expect(page).toHaveTitle(/^\(\d+\) 我的今日/);
    await row.getByRole("button", { name: "完成" }).click();
    await expect(page.locator(".notice")).toContainText("待办已完成");
    await expect(tasks.locator(".today-row").filter({ hasText: title })).toHaveCount(0);
    await manager.close();
  });
});

test.describe("reminders", () => {
  test("a task comes due while the rep is on the board: the badge, the tab's title and a notice say so", async ({ page }) => {
    await signIn(page, REP, "/today");
    const mine = await (await page.request.get("/api/v1/leads?status=contacted&limit=1")).json();
    const code: string = mine.items[0].code;
    const title = `给客户回电确认报价 ${Date.now()}`;
    const made = await page.request.post("/api/v1/tasks", {
      data: {
        lead: code,
        title,
        due_at: new Date(Date.now() + 86_400_000).toISOString(),
        remind_at: new Date(Date.now() + 8_000).toISOString(),
      },
    });
    expect(made.status()).toBe(201);
    // The badge's count as the page's first reminders check gives it (the page may hydrate
    // before that check answers).
    const first = page.waitForResponse((r) => r.url().includes("/api/v1/reminders"));
    await page.goto("/board");
    const badge = page.locator(".topbar .due-badge");
    await expect(page.locator(".live.on")).toBeVisible();
    const before: number = (await (await first).json()).due;
    if (before > 0) await expect(badge).toHaveText(String(before));
    // Its reminder time comes while the page is open.
    const toast = page.locator(".reminder-toast");
    await expect(toast).toContainText(title, { timeout: 20_000 });
    await expect(toast).toContainText("待办到期");
    await expect(badge).toHaveText(String(before + 1));
    await expect(page).toHaveTitle(new RegExp(`^\\(${before + 1}\\) `));
    // The notice leads to My day, whose badge and title count the same.
    await toast.getByRole("link").click();
    await expect(page).toHaveURL(/\/today$/);
    await expect(page.locator(".topbar .due-badge")).toHaveText(String(before + 1));
    await expect(page).toHaveTitle(new RegExp(`^\\(${before + 1}\\) 我的今日`));
    await expect(page.locator(".today-row").filter({ hasText: title })).toBeVisible();
  });
});

test.describe("the feedback loop", () => {
  test("feedback with three whys is recorded on a lead, resolved, confirmed, and counted on the feedback page", async ({ page }) => {
    await signIn(page, MANAGER, "/leads");
    const code = (await page.locator("table.lead-table tbody tr td.code a").first().textContent())!.trim();
    await page.goto(`/leads/${code}`);
    await page.getByRole("link", { name: "记录客户反馈" }).click();
    await expect(page).toHaveURL(new RegExp(`/leads/${code}/feedback$`));
    await page.locator("#type").selectOption("price");
    const summary = `竞品报价低 15%，功能类似 ${Date.now()}`;
    await page.locator("#summary").fill(summary);
    await page.locator("#why1").fill("客户觉得贵");
    await page.locator("#why2").fill("没看到节能收益");
    await page.locator("#why3").fill("我们没有量化方案的优势");
    await page.locator("#root_cause").fill("未量化我方方案优势");
    await page.locator("#resolution").selectOption("negotiate");
    await page.getByRole("button", { name: "保存反馈" }).click();
    await expect(page).toHaveURL(new RegExp(`/leads/${code}$`));

    await page.goto("/feedback");
    const row = page.locator("table.feedback-table tbody tr").filter({ hasText: summary });
    await expect(row).toContainText("待处理");
    await row.getByRole("button", { name: "标记已解决" }).click();
    await expect(page.locator(".notice")).toContainText("已更新反馈状态");
    const resolved = page.locator("table.feedback-table tbody tr").filter({ hasText: summary });
    await expect(resolved).toContainText("已解决");
    await resolved.locator("select[name=satisfaction]").selectOption("5");
    await resolved.getByRole("button", { name: "客户已确认" }).click();
    await expect(page.locator("table.feedback-table tbody tr").filter({ hasText: summary })).toContainText("客户已确认");
    await expect(page.locator(".causes")).toContainText("未量化我方方案优势");
    // The page's numbers are the API's.
    const from = await page.locator("#from").inputValue();
    const to = await page.locator("#to").inputValue();
    const stats = await (await page.request.get(`/api/v1/feedback/stats?from=${from}&to=${to}`)).json();
    await expect(page.locator(".feedback-tiles")).toContainText(String(stats.total));
  });
});
