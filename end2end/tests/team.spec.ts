// A real team moving in, as its admin does it: creating a rep who then signs in, importing an
// Excel file whose two bad rows are named while the rest goes in, merging two leads of one
// customer, and changing a grade threshold — the replay first, then publishing, and the lead
// form a colleague has open grading by the new rule at once.
import { test, expect, type Page } from "@playwright/test";
import { ADMIN, MANAGER, hydrated, signIn, xlsx } from "./helpers";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Creates a lead through the API as the signed-in user; its code. */
async function createLead(page: Page, data: Record<string, unknown>): Promise<string> {
  const res = await page.request.post("/api/v1/leads", { data });
  expect(res.status()).toBe(201);
  return (await res.json()).code;
}

test.describe("a team moves in", () => {
  test("the admin creates a rep with a password and the rep signs in", async ({ page, browser }) => {
    await signIn(page, ADMIN, "/admin/people");
    const key = `e2e${Date.now() % 1_000_000}`;
    const form = page.locator('form[action="/admin/people"]');
    await form.locator('[name="key"]').fill(key);
    await form.locator('[name="name"]').fill("赵敏");
    await form.locator('[name="role"]').selectOption("rep");
    await form.locator('[name="seniority"]').selectOption("junior");
    await form.locator('[name="team"]').selectOption({ index: 1 });
    await form.locator('[name="password"]').fill("zhao-min-e2e-2026");
    await form.locator('button[type="submit"]').click();
    await expect(page).toHaveURL(new RegExp(`/admin/people/${key}`));
    await expect(page.locator(".notice")).toBeVisible();

    const rep = await browser.newPage();
    await signIn(rep, key, "/board", "zhao-min-e2e-2026");
    await expect(rep.locator(".topbar .who")).toHaveText("赵敏");
    await rep.close();
  });

  test("an xlsx with two bad rows: they are named by row and column, the rest is imported", async ({ page }) => {
    await signIn(page, ADMIN, "/admin/import");
    const stamp = Date.now();
    const file = xlsx([
      ["来源渠道", "企业名称", "员工数", "联系人", "电话", "邮箱", "预算", "决策时间"],
      ["展会", `宁波海工机械 ${stamp}`, "320人", "周强", "13911112222", null, "20万", "3个月"],
      ["火星渠道", `坏行一 ${stamp}`, 50, "甲", "13911113333", null, 10000, 1],
      ["官网表单", `杭州数澜科技 ${stamp}`, 80, "李雪", null, "lixue@shulan.cn", 150000, 1],
      ["官网表单", `坏行二 ${stamp}`, "很多", "乙", null, "not-an-email", 5000, 2],
    ]);
    await page.locator('input[type="file"][name="file"]').setInputFiles({ name: "线索.xlsx", mimeType: XLSX, buffer: file });
    await page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
    await expect(page).toHaveURL(/\/admin\/import\/[0-9a-f]+$/);
    await expect(page.locator(".notice")).toContainText("共 4 行：可新建 2，可更新 0，有问题 2 行");
    const problems = page.locator("table").filter({ hasText: "来源渠道" }).last();
    await expect(problems.locator("tbody tr").filter({ hasText: "来源渠道" })).toContainText("3");
    await expect(problems.locator("tbody tr").filter({ hasText: "员工数" })).toContainText("5");
    await expect(problems.locator("tbody tr").filter({ hasText: "邮箱" })).toContainText("5");

    await page.getByRole("button", { name: /导入 2 条/ }).click();
    await expect(page).toHaveURL(/\/job$/);
    await expect(page.getByText("已新建 2 条，已更新 0 条；2 行未导入")).toBeVisible({ timeout: 15_000 });
    for (const [company, count] of [[`宁波海工机械 ${stamp}`, 1], [`坏行一 ${stamp}`, 0], [`坏行二 ${stamp}`, 0]] as const) {
      const res = await page.request.get(`/api/v1/leads?q=${encodeURIComponent(company)}`);
      expect((await res.json()).items.length, company).toBe(count);
    }
  });

  test("two leads of one customer are merged side by side and the merged code points to the survivor", async ({ page }) => {
    await signIn(page, ADMIN, "/duplicates");
    const stamp = Date.now();
    const company = `温州瓯江阀门有限公司 ${stamp}`;
    const phone = `137${String(stamp).slice(-8)}`;
    const keep = await createLead(page, { source: "trade_show", company, phone, contact_name: "林峰" });
    const from = await createLead(page, {
      source: "web_form", company: `温州瓯江阀门 ${stamp}`, phone, email: "linfeng@oujiang.cn", need: "阀门远程监控",
    });
    await page.reload();
    const group = page.locator(".dup-group").filter({ hasText: keep }).filter({ hasText: from });
    await expect(group).toContainText("电话相同");
    await group.locator(`a[href*="from=${from}"], a[href*="from=${keep}"]`).first().click();
    await expect(page).toHaveURL(/\/duplicates\/merge\?/);
    const url = new URL(page.url());
    const survivor = url.searchParams.get("keep") ?? "";
    const merged = url.searchParams.get("from") ?? "";
    await page.locator('form.merge-form button[type="submit"]').click();
    await expect(page).toHaveURL(new RegExp(`/leads/${survivor}`));
    await hydrated(page);
    await expect(page.locator(".lead-profile")).toContainText("linfeng@oujiang.cn");
    await expect(page.locator(".lead-profile")).toContainText("阀门远程监控");
    const gone = await page.request.get(`/api/v1/leads/${merged}`);
    expect(gone.status()).toBe(410);
    expect((await gone.json()).error.details.merged_into).toBe(survivor);
    // An old link to the merged lead opens the survivor.
    await page.goto(`/leads/${merged}`);
    await expect(page).toHaveURL(new RegExp(`/leads/${survivor}$`));
    await expect(page.locator(".lead-profile")).toContainText("linfeng@oujiang.cn");
  });

  test("two customers who only share an e-mail are kept apart and leave the duplicates page", async ({ page }) => {
    await signIn(page, ADMIN, "/duplicates");
    const stamp = Date.now();
    const email = `caiwu${stamp}@qq.com`;
    const a = await createLead(page, { source: "cold_call", company: `台州永盛塑料 ${stamp}`, email });
    const b = await createLead(page, { source: "referral", company: `台州恒达模具 ${stamp}`, email });
    await page.reload();
    const group = page.locator(".dup-group").filter({ hasText: a }).filter({ hasText: b });
    await expect(group).toContainText("邮箱相同");
    await group.getByRole("button", { name: "不是同一客户" }).click();
    await expect(page.locator(".notice")).toContainText(`已标记为不同客户：${[a, b].sort().join(", ")}`);
    await expect(page.locator(".dup-group").filter({ hasText: a })).toHaveCount(0);
  });

  test("a grade threshold change is replayed, published, and an open lead form grades by it at once", async ({ page, browser }) => {
    // A manager has the lead form open: 30 + 25 + 15 + 15 = 85, an S lead under S ≥ 80.
    const colleague = await browser.newPage();
    await signIn(colleague, MANAGER, "/leads/new");
    await hydrated(colleague);
    await colleague.locator("#employees").pressSequentially("1200");
    await colleague.locator("#budget").pressSequentially("100000");
    await colleague.locator("#decision_months").pressSequentially("3");
    await colleague.locator("#decision_chain").selectOption("dm_identified");
    await expect(colleague.locator("#score-total")).toHaveText("85");
    await expect(colleague.locator("#score-grade")).toHaveText("S");

    await signIn(page, ADMIN, "/admin/settings");
    const threshold = page.locator('[name="scoring.grade_s"]');
    await threshold.fill("90");
    await page.getByRole("button", { name: "预览影响" }).click();
    await expect(page.getByRole("heading", { name: "评分变更预览" })).toBeVisible();
    await expect(page.locator("svg[role=img]")).toBeVisible();
    await expect(page.getByText(/S → A/).first()).toBeVisible();
    await expect(threshold).toHaveValue("90");
    try {
      await page.getByRole("button", { name: "发布这些设置" }).click();
      await expect(page.locator(".notice")).toContainText("已发布");
      // No reload: the open form now grades by S ≥ 90.
      await expect(colleague.locator("#score-total")).toHaveText("85");
      await expect(colleague.locator("#score-grade")).toHaveText("A");
    } finally {
      const back = await page.request.put("/api/v1/settings", { data: { scoring: { grade_s: 80 } } });
      expect(back.status()).toBe(200);
    }
    await expect(colleague.locator("#score-grade")).toHaveText("S");
    await colleague.close();
  });
  test("the admin narrows the loss reasons and the board's lost question offers only those", async ({ page, browser }) => {
    await signIn(page, ADMIN, "/admin/settings");
    const offered = ["price", "competitor", "other"];
    for (const box of await page.locator('[name="loss_reasons"]').all()) {
      await box.setChecked(offered.includes((await box.getAttribute("value"))!));
    }
    try {
      await page.getByRole("button", { name: "发布", exact: true }).first().click();
      await expect(page.locator(".notice")).toContainText("已发布");
      const board = await browser.newPage({ viewport: { width: 1800, height: 1000 } });
      await signIn(board, MANAGER);
      await hydrated(board);
      const card = board.getByRole("list", { name: "商务谈判", exact: true }).getByRole("listitem").first();
      await card.focus();
      // Space picks the card up, two steps right is 流失 (past 成交), Space drops it there.
      await board.keyboard.press("Space");
      await board.keyboard.press("ArrowRight");
      await board.keyboard.press("ArrowRight");
      await board.keyboard.press("Space");
      const dialog = board.getByRole("dialog");
      await expect(dialog).toContainText("流失原因");
      await expect(dialog.locator("#loss-reason option")).toHaveText(["—", "价格", "竞争对手", "其他"]);
      await dialog.getByRole("button", { name: "取消" }).click();
      await board.close();
    } finally {
      const back = await page.request.put("/api/v1/settings", {
        data: { loss_reasons: ["price", "product_fit", "competitor", "no_budget", "no_decision", "unresponsive", "other"] },
      });
      expect(back.status()).toBe(200);
    }
  });
});
