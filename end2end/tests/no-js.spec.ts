import { test, expect } from "@playwright/test";

test("the server renders the page before any script runs", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "线索评分试算" })).toBeVisible();
  await expect(page.locator("#score-grade")).toHaveText("C");
});
