// A sales rep's day with leads: entering a new lead while its grade updates live, logging a
// follow-up and seeing it head the lead's timeline, being stopped by a mistyped email, and
// finding the list's filters still there after a reload.
import { test, expect } from "@playwright/test";
import { MANAGER, hydrated, signIn } from "./helpers";

test.describe("leads", () => {
  test("a new lead is graded live while typing and opens on saving", async ({ page }) => {
    await signIn(page, MANAGER, "/leads/new");
    await hydrated(page);
    const total = page.locator("#score-total");
    const grade = page.locator("#score-grade");
    await expect(grade).toHaveText("C");
    await expect(total).toHaveText("0");

    await page.locator("#employees").pressSequentially("1200");
    await expect(total).toHaveText("30");
    await expect(grade).toHaveText("C");
    await page.locator("#budget").pressSequentially("200000");
    await expect(total).toHaveText("60");
    await expect(grade).toHaveText("A");
    await page.locator("#decision_months").pressSequentially("1");
    await expect(total).toHaveText("80");
    await expect(grade).toHaveText("S");
    await page.locator("#decision_chain").selectOption("dm_engaged");
    await expect(total).toHaveText("100");
    await expect(grade).toHaveText("S");

    const company = `端到端测试科技有限公司 ${Date.now()}`;
    await page.locator("#company").fill(company);
    await page.locator("#source").selectOption("trade_show");
    await page.locator("#contact_name").fill("李娜");
    await page.locator("#email").fill("li.na@example.com");
    await page.getByRole("button", { name: "保存线索" }).click();

    await expect(page).toHaveURL(/\/leads\/LX\d+$/);
    const code = new URL(page.url()).pathname.split("/").pop() ?? "";
    await expect(page.locator(".lead-code")).toHaveText(code);
    await expect(page.locator(".lead-title h1")).toHaveText(company);
    await expect(page.locator("#score-grade")).toHaveText("S");
    await expect(page.locator("#score-total")).toHaveText("100");
    await expect(page.locator(".lead-profile")).toContainText("¥200,000");
  });

  test("a follow-up logged on a lead heads its timeline", async ({ page }) => {
    await signIn(page, MANAGER, "/leads");
    await hydrated(page);
    const link = page.locator(".lead-table tbody tr").first().locator("td.code a");
    const code = ((await link.textContent()) ?? "").trim();
    expect(code).toMatch(/^LX\d+$/);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/leads/${code}$`));
    await expect(page.locator(".lead-code")).toHaveText(code);

    const summary = `电话沟通：客户确认预算，约下周演示 ${Date.now()}`;
    await page.locator("#channel").selectOption("phone");
    await page.locator("#direction").selectOption("outbound");
    await page.locator("#responded").check();
    await page.locator("#summary").fill(summary);
    await page.locator(".more-notes summary").click();
    await page.locator("#bant_need").fill("数据安全、服务器升级");
    await page.getByRole("button", { name: "保存跟进" }).click();

    const timeline = page.getByRole("list", { name: "跟进时间线" });
    const newest = timeline.getByRole("listitem").first();
    await expect(newest).toContainText(summary);
    await expect(newest).toContainText("客户有回应");
    await expect(newest).toContainText("数据安全、服务器升级");
    await expect(newest).not.toContainText("补录");
    // The form is ready for the next one.
    await expect(page.locator("#summary")).toHaveValue("");
    await expect(page.getByRole("status")).toHaveText("已记录跟进。");
  });

  test("a mistyped email is pointed out next to the field and nothing is saved", async ({ page }) => {
    await signIn(page, MANAGER, "/leads/new");
    await hydrated(page);
    const company = `邮箱校验测试有限公司 ${Date.now()}`;
    await page.locator("#company").fill(company);
    await page.locator("#source").selectOption("web_form");
    await page.locator("#email").fill("li.na@huaxin");
    await expect(page.locator("#email-error")).toHaveText("邮箱格式不正确，例如 li.na@example.com");
    await expect(page.locator("#email")).toHaveAttribute("aria-invalid", "true");

    await page.getByRole("button", { name: "保存线索" }).click();
    await expect(page).toHaveURL(/\/leads\/new$/);
    await expect(page.locator("#email")).toBeFocused();
    // Nothing typed is lost.
    await expect(page.locator("#company")).toHaveValue(company);
    await expect(page.locator("#email")).toHaveValue("li.na@huaxin");

    // Nothing was saved: the list does not know the company.
    await page.goto(`/leads?q=${encodeURIComponent(company)}`);
    await expect(page.getByText("没有符合条件的线索。")).toBeVisible();
  });

  test("the list's filters stay in the address and survive a reload", async ({ page }) => {
    await signIn(page, MANAGER, "/leads");
    await hydrated(page);
    await page.locator("#filter-grade").selectOption("S");
    await expect(page).toHaveURL(/[?&]grade=S/);
    await expect(page.locator(".lead-table tbody tr").first()).toBeVisible();
    await page.reload();
    await hydrated(page);
    await expect(page.locator("#filter-grade")).toHaveValue("S");
    const grades = await page.locator(".lead-table tbody .grade").allTextContents();
    expect(grades.length).toBeGreaterThan(0);
    expect(new Set(grades)).toEqual(new Set(["S"]));
  });
});
