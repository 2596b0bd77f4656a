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

/**
 * Lets a test cut the page's live connection and bring it back, as a dropped network or a
 * proxy's timeout would: the page's EventSource is wrapped so that `dropLiveConnection`
 * closes the real stream and reports the error the browser would, and
 * `restoreLiveConnection` opens a new stream as the browser does when it reconnects. Call
 * before the page loads.
 */
export async function controlLiveConnection(page: Page) {
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const streams: any[] = [];
    class Controlled {
      url: string;
      real: EventSource | null = null;
      onopen: ((e: Event) => void) | null = null;
      onmessage: ((e: MessageEvent) => void) | null = null;
      onerror: ((e: Event) => void) | null = null;
      constructor(url: string) {
        this.url = url;
        this.connect();
        streams.push(this);
      }
      connect() {
        const real = new Native(this.url);
        real.onopen = (e) => this.onopen?.(e);
        real.onmessage = (e) => this.onmessage?.(e);
        real.onerror = (e) => this.onerror?.(e);
        this.real = real;
      }
      drop() {
        this.real?.close();
        this.real = null;
        this.onerror?.(new Event("error"));
      }
      close() {
        this.real?.close();
        this.real = null;
        streams.splice(streams.indexOf(this), 1);
      }
    }
    (window as any).EventSource = Controlled;
    (window as any).__dropLive = () => streams.forEach((s) => s.drop());
    (window as any).__restoreLive = () => streams.forEach((s) => s.connect());
  });
}

export const dropLiveConnection = (page: Page) => page.evaluate(() => (window as any).__dropLive());
export const restoreLiveConnection = (page: Page) => page.evaluate(() => (window as any).__restoreLive());
