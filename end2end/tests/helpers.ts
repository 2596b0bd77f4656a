// Shared steps of Genjin's end-to-end tests.
import { expect, type Page } from "@playwright/test";
import * as zlib from "node:zlib";

/** The demo workspace's accounts (README): all sign in with the same password. */
export const DEMO_PASSWORD = "genjin-demo";
export const ADMIN = "admin";
export const MANAGER = "r11"; // 华东 team manager
export const REP = "r14";

/** Signs in through the sign-in page and waits for the page it leads to. */
export async function signIn(page: Page, user: string, next = "/board", password = DEMO_PASSWORD) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator("#user").fill(user);
  await page.locator("#password").fill(password);
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

/**
 * A minimal xlsx file (one sheet, inline strings and numbers), as Excel would save a sales
 * team's lead list: a zip of the five parts every workbook has, stored uncompressed.
 */
export function xlsx(rows: (string | number | null)[][]): Buffer {
  const crc32 = (zlib as unknown as { crc32: (b: Buffer) => number }).crc32;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const col = (i: number) => String.fromCharCode(65 + i);
  const sheetRows = rows
    .map((r, y) => {
      const cells = r
        .map((v, x) => {
          const ref = `${col(x)}${y + 1}`;
          if (v === null) return "";
          if (typeof v === "number") return `<c r="${ref}"><v>${v}</v></c>`;
          return `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
        })
        .join("");
      return `<row r="${y + 1}">${cells}</row>`;
    })
    .join("");
  const files: [string, string][] = [
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ],
    [
      "_rels/.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="线索" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
    [
      "xl/worksheets/sheet1.xml",
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
    ],
  ];
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, "utf8");
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}
