/**
 * A real browser for the console tests: Debian's Chromium (/usr/bin/chromium, installed by
 * `.ci/run`) driven by playwright-core, headless, with a fresh profile, no network other than the
 * server under test. Every console message of type error and every page error is collected (a
 * test asserts there are none), axe-core checks accessibility, and screenshots go to
 * SCREENSHOT_DIR (`.ci/artifacts/console/`, kept by CI).
 *
 * Under CI=true a missing Chromium is a failing test; elsewhere the suite is skipped with a
 * message saying how to install it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, it } from 'vitest';

export const CHROMIUM = process.env.PORTCULLIS_CHROMIUM ?? '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = path.resolve(here, '../../.ci/artifacts/console');

/** Whether the browser suite runs; see the module comment for what happens when it cannot. */
export function requireChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `Chromium is not installed at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set PORTCULLIS_CHROMIUM`;
  if (process.env.CI === 'true') it('has Chromium installed', () => expect.fail(message));
  else console.warn(`*** console browser tests skipped: ${message} ***`);
  return false;
}

export interface Browser {
  readonly page: Page;
  /** Console errors and page errors seen so far (each with the page URL it happened on). */
  readonly errors: string[];
  /** A new tab in the same browser (a second user; sessionStorage is per tab). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'portcullis-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${page.url()}: console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: page error: ${e.message}`));
    return page;
  };
  const page = watch(context.pages()[0] ?? (await context.newPage()));
  return {
    page,
    errors,
    newPage: async () => watch(await context.newPage()),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(path.resolve(here, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 A/AA rules (and best practices) on the page as it stands; returns the
 * violations. axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    // Runs in the page: its globals are the browser's (no DOM types in this Node project).
    const page = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } };
    const result = await page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

/** Serious and critical violations, one line each (what the tests fail on). */
export const serious = (violations: readonly AxeViolation[]): string[] =>
  violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
