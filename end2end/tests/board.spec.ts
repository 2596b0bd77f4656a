import { test, expect, type Page, type Locator } from "@playwright/test";
import { signIn, hydrated, controlLiveConnection, dropLiveConnection, restoreLiveConnection, MANAGER, REP } from "./helpers";

const column = (page: Page, name: string) => page.getByRole("list", { name, exact: true });
const cardIn = (list: Locator, code: string) => list.getByRole("listitem").filter({ hasText: code });

/** Drags a card with the mouse onto a column, in small steps as a hand would. */
async function drag(page: Page, card: Locator, status: string) {
  const from = (await card.locator(".card-meta").boundingBox())!;
  const to = (await page.locator(`section[data-status="${status}"]`).boundingBox())!;
  await page.mouse.move(from.x + 10, from.y + from.height / 2);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) {
    const x = from.x + 10 + ((to.x + to.width / 2 - from.x - 10) * i) / steps;
    const y = from.y + from.height / 2 + ((to.y + 120 - from.y - from.height / 2) * i) / steps;
    await page.mouse.move(x, y);
  }
  await page.mouse.up();
}

test.describe("the pipeline board", () => {
  test.use({ viewport: { width: 1800, height: 1000 } });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await page.goto("/login");
    await hydrated(page);
    await page.locator("#user").fill(MANAGER);
    await page.locator("#password").fill("not-the-password");
    await page.locator(".login-form button[type=submit]").click();
    await expect(page.getByRole("alert")).toHaveText("账号或密码不正确。");
    await expect(page).toHaveURL(/\/login/);
  });

  test("the board is for signed-in users only", async ({ page }) => {
    await page.goto("/board");
    await expect(page).toHaveURL(/\/login\?next=%2Fboard|\/login\?next=\/board/);
  });

  test("signing in shows the seven columns, each a labelled list with count and amount", async ({ page }) => {
    await signIn(page, MANAGER);
    for (const name of ["未接触", "初步接洽", "需求明确", "方案提交", "商务谈判", "成交", "流失"]) {
      await expect(column(page, name)).toBeVisible();
    }
    const newCards = column(page, "未接触").getByRole("listitem");
    await expect(newCards.first()).toContainText(/LX\d{4}D?\d{5,}/);
    await expect(page.locator("section[data-status=new] .column-count")).toHaveText(/^\d+$/);
    await expect(page.locator("section[data-status=new] .column-amount")).toHaveText(/^¥[\d,]+$/);
  });

  test("a card dragged with the mouse moves at once and is still there after a reload", async ({ page }) => {
    await signIn(page, MANAGER);
    await hydrated(page);
    const card = column(page, "未接触").getByRole("listitem").first();
    const code = (await card.getAttribute("data-code"))!;
    await drag(page, card, "contacted");
    await expect(cardIn(column(page, "初步接洽"), code)).toBeVisible();
    await expect(cardIn(column(page, "未接触"), code)).toHaveCount(0);
    await page.reload();
    await expect(cardIn(column(page, "初步接洽"), code)).toBeVisible();
  });

  test("a card moves by keyboard: Space picks it up, arrows choose, Space drops", async ({ page }) => {
    await signIn(page, MANAGER);
    await hydrated(page);
    const card = column(page, "初步接洽").getByRole("listitem").first();
    const code = (await card.getAttribute("data-code"))!;
    await card.focus();
    await page.keyboard.press("Space");
    await expect(card).toHaveAttribute("aria-pressed", "true");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Space");
    const moved = cardIn(column(page, "需求明确"), code);
    await expect(moved).toBeVisible();
    await expect(moved).toBeFocused();
    await page.reload();
    await expect(cardIn(column(page, "需求明确"), code)).toBeVisible();
  });

  test("moving to won asks for the deal amount first", async ({ page }) => {
    await signIn(page, MANAGER);
    await hydrated(page);
    const card = column(page, "商务谈判").getByRole("listitem").first();
    const code = (await card.getAttribute("data-code"))!;
    await drag(page, card, "won");
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("成交金额");
    await dialog.locator("#deal-amount").fill("abc");
    await dialog.getByRole("button", { name: "确认" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("请输入大于 0 的金额");
    await dialog.locator("#deal-amount").fill("188,000");
    await dialog.getByRole("button", { name: "确认" }).click();
    await expect(cardIn(column(page, "成交"), code)).toContainText("¥188,000");
    const lead = await (await page.request.get(`/api/v1/leads/${code}`)).json();
    expect(lead.status).toBe("won");
    expect(lead.deal_amount).toBe(188000);
  });

  test("another open board sees a move without reloading", async ({ page, browser }) => {
    await signIn(page, MANAGER);
    await hydrated(page);
    const other = await browser.newContext();
    const second = await other.newPage();
    await signIn(second, MANAGER);
    await hydrated(second);
    await expect(second.locator(".live.on")).toBeVisible();
    const card = column(page, "需求明确").getByRole("listitem").first();
    const code = (await card.getAttribute("data-code"))!;
    await expect(cardIn(column(second, "需求明确"), code)).toBeVisible();
    await drag(page, card, "proposal");
    await expect(cardIn(column(page, "方案提交"), code)).toBeVisible();
    await expect(cardIn(column(second, "方案提交"), code)).toBeVisible({ timeout: 2_000 });
    await expect(cardIn(column(second, "需求明确"), code)).toHaveCount(0);
    await other.close();
  });

  test("a board that lost its connection catches up with the moves it missed", async ({ page, browser }) => {
    await controlLiveConnection(page);
    await signIn(page, MANAGER);
    await hydrated(page);
    await expect(page.locator(".live.on")).toBeVisible();
    const card = column(page, "需求明确").getByRole("listitem").first();
    const code = (await card.getAttribute("data-code"))!;
    await dropLiveConnection(page);
    await expect(page.locator(".live.on")).toHaveCount(0);
    // A colleague moves the card while this board cannot hear about it.
    const others = await browser.newContext();
    const colleague = await others.newPage();
    await signIn(colleague, MANAGER);
    const lead = await (await colleague.request.get(`/api/v1/leads/${code}`)).json();
    const moved = await colleague.request.post(`/api/v1/leads/${code}/move`, { data: { to: "proposal", version: lead.version } });
    expect(moved.status()).toBe(200);
    await page.waitForTimeout(500);
    await expect(cardIn(column(page, "需求明确"), code)).toBeVisible();
    // The connection comes back: the board catches up without a reload.
    await restoreLiveConnection(page);
    await expect(page.locator(".live.on")).toBeVisible();
    await expect(cardIn(column(page, "方案提交"), code)).toBeVisible();
    await expect(cardIn(column(page, "需求明确"), code)).toHaveCount(0);
    await others.close();
  });

  test("a lead the manager hands to a colleague leaves the rep's open board", async ({ page, browser }) => {
    await signIn(page, REP);
    await hydrated(page);
    await expect(page.locator(".live.on")).toBeVisible();
    const count = page.locator("section[data-status=new] .column-count");
    const before = Number(await count.textContent());
    const card = column(page, "未接触").getByRole("listitem").first();
    const code = (await card.getAttribute("data-code"))!;
    const managers = await browser.newContext();
    const manager = await managers.newPage();
    await signIn(manager, MANAGER);
    const lead = await (await manager.request.get(`/api/v1/leads/${code}`)).json();
    const handed = await manager.request.patch(`/api/v1/leads/${code}`, { data: { owner: "r15", version: lead.version } });
    expect(handed.status()).toBe(200);
    await expect(cardIn(column(page, "未接触"), code)).toHaveCount(0, { timeout: 2_000 });
    await expect(count).toHaveText(String(before - 1));
    await managers.close();
  });

  test("a stale move is refused and the board shows where the lead really is", async ({ page }) => {
    await signIn(page, MANAGER);
    await hydrated(page);
    const card = column(page, "初步接洽").getByRole("listitem").first();
    const code = (await card.getAttribute("data-code"))!;
    // Someone else moves the lead while this board cannot hear about it.
    await page.route("**/rpc/events", (route) => route.abort());
    await page.reload();
    await hydrated(page);
    const lead = await (await page.request.get(`/api/v1/leads/${code}`)).json();
    const moved = await page.request.post(`/api/v1/leads/${code}/move`, { data: { to: "negotiation", version: lead.version } });
    expect(moved.status()).toBe(200);
    await drag(page, cardIn(column(page, "初步接洽"), code), "qualified");
    await expect(page.getByRole("alert")).toContainText("刚被其他人修改");
    await expect(cardIn(column(page, "商务谈判"), code)).toBeVisible();
    await expect(cardIn(column(page, "需求明确"), code)).toHaveCount(0);
  });

  test("switching to English and back relabels the board", async ({ page }) => {
    await signIn(page, MANAGER);
    await hydrated(page);
    await page.getByRole("button", { name: "English" }).click();
    await expect(column(page, "Proposal")).toBeVisible();
    await page.reload();
    await expect(column(page, "Proposal")).toBeVisible();
    await page.getByRole("button", { name: "中文" }).click();
    await expect(column(page, "方案提交")).toBeVisible();
  });
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, MANAGER);
  await hydrated(page);
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/board");
  await expect(page).toHaveURL(/\/login/);
});
