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

test("without scripts the pipeline widget shows its team's board", async ({ page }) => {
  const made = await page.request.post("/api/v1/embeds", {
    headers: { authorization: `Bearer ${process.env.GENJIN_ADMIN_TOKEN ?? "genjin-e2e-admin"}` },
    data: { name: "无脚本门户", team: "t1", origins: ["http://127.0.0.2:4100"] },
  });
  expect(made.status()).toBe(201);
  const { key } = await made.json();
  await page.goto(`/embed/pipeline?key=${key}&lang=en`);
  await expect(page.locator(".embed-title")).toContainText("Pipeline");
  for (const name of ["New", "Contacted", "Won"]) {
    await expect(page.getByRole("list", { name, exact: true })).toBeVisible();
  }
  await expect(page.locator(".deal-card").first()).toContainText(/LX\d{4}D?\d{5,}/);
});
