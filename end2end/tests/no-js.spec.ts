import { test, expect } from "@playwright/test";

test("the server renders the page before any script runs", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "线索评分试算" })).toBeVisible();
  await expect(page.locator("#score-grade")).toHaveText("C");
});

test("without scripts a user signs in and the server renders the whole board", async ({ page }) => {
  await page.goto("/login?next=/board");
  await page.locator("#user").fill("r11");
  await page.locator("#password").fill("genjin-demo");
  await page.locator(".login-form button[type=submit]").click();
  await expect(page).toHaveURL(/^[^?]*\/board$/);
  for (const name of ["未接触", "初步接洽", "需求明确", "方案提交", "商务谈判", "成交", "流失"]) {
    await expect(page.getByRole("list", { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("list", { name: "初步接洽", exact: true }).getByRole("listitem").first()).toContainText(/LX\d{4}D?\d{5,}/);
});
