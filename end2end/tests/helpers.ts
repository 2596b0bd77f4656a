// Shared steps of Genjin's end-to-end tests.
import { expect, type Page } from "@playwright/test";

/** The demo workspace's accounts (README): all sign in with the same password. */
export const DEMO_PASSWORD = "genjin-demo";
export const ADMIN = "admin";
export const MANAGER = "r11"; // 华东 team manager
export const REP = "r14";

/** Signs in through the sign-in page and waits for the page it leads to. */
export async function signIn(page: Page, user: string, next = "/board") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator("#user").fill(user);
  await page.locator("#password").fill(DEMO_PASSWORD);
  await page.locator(".login-form button[type=submit]").click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
}

/** Waits until the page's wasm has hydrated (the app marks <body> when it has). */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
}
