import { chromium } from "@playwright/test";
const [base, user, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const [w, h, tag] of [[1280, 900, "laptop"], [390, 844, "phone"]]) {
  const context = await browser.newContext({ viewport: { width: w, height: h } });
  const page = await context.newPage();
  await page.goto(`${base}/login?next=/today`);
  await page.fill("#user", user);
  await page.fill("#password", "genjin-demo");
  await page.click(".login-form button[type=submit]");
  await page.waitForURL((u) => u.pathname === "/today", { timeout: 60000 });
  for (const p of paths) {
    const r = await page.goto(`${base}${p}`);
    const name = p.replace(/[^a-z0-9]+/gi, "_");
    await page.screenshot({ path: `/tmp/shots/${user}-${tag}${name}.png`, fullPage: process.env.FULL !== "0" });
    console.log(tag, p, r.status());
  }
  await context.close();
}
await browser.close();
