// A sales rep's day with leads: entering a new lead while its grade updates live, logging a
// follow-up and seeing it head the lead's timeline, being stopped by a mistyped email, and
// finding the list's filters still there after a reload; editing a lead's profile, also when a
// colleague saved it first.
import { test, expect, type Page } from "@playwright/test";
import { MANAGER, hydrated, signIn } from "./helpers";

/** Creates a B lead (15 + 10 + 10 + 5 = 40) through the API as the signed-in user; its code. */
async function newLead(page: Page, company: string): Promise<string> {
  const res = await page.request.post("/api/v1/leads", {
    data: {
      source: "web_form",
      company: `${company} ${Date.now()}`,
      employees: 60,
      budget: 50000,
      decision_months: 5,
      decision_chain: "contact_only",
    },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).code;
}

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
    // A trade show asks for its channel details (PRODUCT.md §2); a website would not.
    await expect(page.locator("#page")).toHaveCount(0);
    await page.locator("#booth").fill("A12");
    await page.locator("#minutes").fill("15");
    await page.locator("#remarks").fill("展会当天约了下周演示");
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
    await expect(page.locator(".lead-profile")).toContainText("展位号：A12；交流时长（分钟）：15");
    await expect(page.locator(".lead-profile")).toContainText("展会当天约了下周演示");
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
    await page.locator("#contact").fill("王总（信息部）");
    await page.getByRole("button", { name: "保存跟进" }).click();

    const timeline = page.getByRole("list", { name: "跟进时间线" });
    const newest = timeline.getByRole("listitem").first();
    await expect(newest).toContainText(summary);
    await expect(newest).toContainText("客户有回应");
    await expect(newest).toContainText("数据安全、服务器升级");
    await expect(newest).toContainText("王总（信息部）");
    await expect(newest).not.toContainText("补录");
    // The form is ready for the next one.
    await expect(page.locator("#summary")).toHaveValue("");
    await expect(page.getByRole("status")).toHaveText("已记录跟进。");
  });

  test("editing a lead's profile regrades it live and the lead page shows the change", async ({ page }) => {
    await signIn(page, MANAGER, "/leads");
    const code = await newLead(page, "资料修改测试有限公司");
    await page.goto(`/leads/${code}`);
    await hydrated(page);
    await expect(page.locator("#score-grade")).toHaveText("B");
    await page.getByRole("link", { name: "编辑资料" }).click();

    await expect(page).toHaveURL(new RegExp(`/leads/${code}/edit$`));
    await expect(page.locator("#company")).toHaveValue(/^资料修改测试有限公司/);
    await expect(page.locator("#budget")).toHaveValue("50000");
    await expect(page.locator("#score-total")).toHaveText("40");
    await page.locator("#budget").fill("160,000");
    await expect(page.locator("#score-total")).toHaveText("60");
    await expect(page.locator("#score-grade")).toHaveText("A");
    await page.locator("#contact_name").fill("刘伟");
    await page.locator("#contact_title").fill("信息中心主任");
    await page.getByRole("button", { name: "保存修改" }).click();

    await expect(page).toHaveURL(new RegExp(`/leads/${code}$`));
    await expect(page.locator("#score-total")).toHaveText("60");
    await expect(page.locator("#score-grade")).toHaveText("A");
    await expect(page.locator(".lead-profile")).toContainText("¥160,000");
    await expect(page.locator(".lead-contact")).toContainText("刘伟（信息中心主任）");
  });

  test("an edit saved after someone else's keeps both people's changes", async ({ page }) => {
    await signIn(page, MANAGER, "/leads");
    const code = await newLead(page, "并发编辑测试有限公司");
    await page.goto(`/leads/${code}/edit`);
    await hydrated(page);
    await expect(page.locator("#budget")).toHaveValue("50000");

    // A colleague changes the region while this form is open.
    const current = await (await page.request.get(`/api/v1/leads/${code}`)).json();
    const other = await page.request.patch(`/api/v1/leads/${code}`, { data: { version: current.version, region: "浙江" } });
    expect(other.status()).toBe(200);

    await page.locator("#budget").fill("160000");
    await page.getByRole("button", { name: "保存修改" }).click();
    await expect(page.locator(".conflict")).toContainText("已被其他人修改");
    await expect(page.locator("#region")).toHaveValue("浙江");
    await expect(page.locator("#budget")).toHaveValue("160000");
    await expect(page).toHaveURL(new RegExp(`/leads/${code}/edit$`));

    await page.getByRole("button", { name: "保存修改" }).click();
    await expect(page).toHaveURL(new RegExp(`/leads/${code}$`));
    await expect(page.locator(".lead-profile")).toContainText("浙江");
    await expect(page.locator(".lead-profile")).toContainText("¥160,000");
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
