// Genjin's end-to-end tests drive the real server (built by `cargo leptos build`) on an
// in-memory database with a small demo workspace, in Debian's headless Chromium.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.GENJIN_E2E_PORT ?? 3100);

const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: process.env.GENJIN_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
  },
  projects: [
    { name: "hydrated", use: { ...chromium }, testIgnore: /no-js/ },
    { name: "no-js", use: { ...chromium, javaScriptEnabled: false }, testMatch: /no-js/ },
  ],
  webServer: {
    command: "../scripts/serve-e2e.sh",
    url: `http://127.0.0.1:${port}/api/v1/openapi.json`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
