import { test, expect } from "@playwright/test";
import { hydrated } from "./helpers";

test.describe("the start page", () => {
  test("grades a lead live as the user types, in the browser", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    await expect(page.locator("#score-grade")).toHaveText("C");
    await page.locator("#employees").pressSequentially("120");
    await page.locator("#budget").pressSequentially("150000");
    await page.locator("#decision_months").pressSequentially("1");
    await page.locator("#decision_chain").selectOption("dm_engaged");
    // The API's own example: 15 + 30 + 20 + 20 = 85, grade S.
    await expect(page.locator("#score-total")).toHaveText("85");
    await expect(page.locator("#score-grade")).toHaveText("S");
    await expect(page.locator('[data-part="company_size"]')).toHaveText("15");
  });

  test("says clearly when a number is not a number", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    await page.locator("#employees").pressSequentially("abc");
    await expect(page.getByRole("alert")).toHaveText("请输入不小于 0 的整数");
    await expect(page.locator("#employees")).toHaveAttribute("aria-invalid", "true");
  });

  test("switches to English and back", async ({ page }) => {
    await page.goto("/");
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "线索评分试算" })).toBeVisible();
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Lead score calculator" })).toBeVisible();
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.getByRole("heading", { name: "线索评分试算" })).toBeVisible();
  });

  test("the score agrees with the server's /api/v1/score", async ({ page, request }) => {
    const inputs = { employees: 800, budget: 90000, decision_months: 4, decision_chain: "influencer" };
    const server = await (await request.post("/api/v1/score", { data: inputs })).json();
    await page.goto("/");
    await hydrated(page);
    await page.locator("#employees").pressSequentially(String(inputs.employees));
    await page.locator("#budget").pressSequentially(String(inputs.budget));
    await page.locator("#decision_months").pressSequentially(String(inputs.decision_months));
    await page.locator("#decision_chain").selectOption(inputs.decision_chain);
    await expect(page.locator("#score-total")).toHaveText(String(server.total));
    await expect(page.locator("#score-grade")).toHaveText(server.grade);
  });
});
