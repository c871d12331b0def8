/**
 * The admin console in a real browser (Chromium, driven by playwright-core) against a real
 * `npm start` process (which builds the console when stale), on the world of test/console/world.ts
 * seeded through the public APIs, with a copy of policies/ so that applying a policy edit changes
 * only the copy. Each page is walked as an admin (admin token) and as a reader (bob, by password):
 * sign in, ask a decision and read the role path, filter the log and open an explanation, the
 * three views of who holds what, release a lock, preview an edit's impact and apply it. Every page
 * is checked by axe-core (no serious or critical violation) and screenshotted into
 * .ci/artifacts/console/; no console error may occur anywhere.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { npmStart, REPO_ROOT, type StartedServer } from '../process/npm-start.js';
import { axe, launch, requireChromium, screenshot, serious, type Browser } from './browser.js';
import { PASSWORDS, SHARE, seedWorld, type World } from './world.js';

const ADMIN = 'console-test-admin-token-0123456789';

describe.runIf(requireChromium())('the admin console in Chromium', () => {
  let server: StartedServer;
  let browser: Browser;
  let page: Page;
  let world: World;
  let policyDir: string;
  const mongoDb = process.env.MONGODB_URI ? freshDbName('console') : undefined;

  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${server.url}${p}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };

  /** The page passes axe (nothing serious or critical), fits the laptop-sized window's width, and is screenshotted. */
  async function check(name: string, on: Page = page) {
    await on.waitForLoadState('networkidle');
    expect(serious(await axe(on)), `axe on ${name}`).toEqual([]);
    const overflow = await on.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow, `${name} scrolls sideways`).toBe(0);
    await screenshot(on, name);
  }

  async function signInWithToken(on: Page, token: string) {
    await on.goto(`${server.url}/console/`);
    await check('sign-in', on);
    await on.getByLabel('A token (e.g. the admin token)').check();
    await on.getByLabel('Token', { exact: true }).fill(token);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => on.getByText('Signed in as').textContent()).toContain('admin');
  }

  beforeAll(async () => {
    policyDir = mkdtempSync(path.join(tmpdir(), 'portcullis-console-policies-'));
    cpSync(path.join(REPO_ROOT, 'policies'), policyDir, { recursive: true });
    server = await npmStart({
      PORTCULLIS_ADMIN_TOKEN: ADMIN,
      PORTCULLIS_POLICY_DIR: policyDir,
      ...(mongoDb ? { MONGODB_DB: mongoDb } : {}),
    });
    world = await seedWorld(server.url, ADMIN);
    browser = await launch();
    page = browser.page;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    rmSync(policyDir, { recursive: true, force: true });
    if (mongoDb) await dropDatabase(process.env.MONGODB_URI!, mongoDb);
  });

  it('serves the console from the build, with a strict content security policy', async () => {
    const index = await fetch(`${server.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const script = /src="(assets\/app-[\w]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}/console/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('signs in with the admin token and asks a decision, drawing the role path', async () => {
    await signInWithToken(page, ADMIN);
    await expect.poll(() => page.title()).toBe('Decide · Portcullis console');
    await page.getByLabel('Id or user name').fill('carol');
    await page.getByLabel('Name', { exact: true }).fill('update');
    await page.getByLabel('Type', { exact: true }).nth(1).fill('document');
    await page.getByLabel('Id', { exact: true }).fill('43');
    await page.getByRole('button', { name: 'Ask' }).click();
    const answer = page.getByRole('region', { name: 'Answer' });
    await expect.poll(() => answer.locator('.badge').first().textContent()).toBe('Allow');
    expect(await answer.textContent()).toContain('policies/resources.csv:8');
    // carol → group ops → manager ⇒ member on project sales (inherited), with names, not ids.
    const chain = answer.getByRole('list', { name: 'Role path' });
    expect(await chain.locator('.node').allTextContents()).toEqual([
      'user carol',
      'group ops',
      'role manager',
      'implied role member',
      'scope project salesinherited',
    ]);
    await check('decide');
  });

  it('shows the blocking lock of a denied decision', async () => {
    await page.getByLabel('Id or user name').fill('dave');
    await page.getByLabel('Name', { exact: true }).fill('delete');
    await page.getByLabel('Type', { exact: true }).nth(1).fill('share');
    await page.getByLabel('Id', { exact: true }).fill(SHARE);
    await page.getByRole('button', { name: 'Ask' }).click();
    const answer = page.getByRole('region', { name: 'Answer' });
    await expect.poll(() => answer.locator('.badge').first().textContent()).toBe('Deny');
    const locks = answer.getByRole('table', { name: 'Locks that block this action' });
    expect(await locks.textContent()).toContain('manila:delete');
    expect(await locks.textContent()).toContain('policies/lock-effects.csv');
  });

  it('filters the decision log and opens an explanation', async () => {
    await page.getByRole('link', { name: 'Decisions' }).click();
    await page.getByLabel('Subject (as asked)').fill('alice');
    await page.getByLabel('Kind').selectOption('resource');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const table = page.getByRole('table', { name: /decision/ });
    await expect.poll(async () => (await table.locator('tbody > tr').count())).toBe(1);
    expect(await table.locator('tbody').textContent()).toContain('update');
    await table.getByRole('button', { name: /Explain the decision of/ }).click();
    const explanation = table.locator('.explain-row');
    expect(await explanation.textContent()).toContain('policies/resources.csv:12');
    expect(await explanation.textContent()).toContain('owner');
    await check('decisions');
    await page.getByLabel('Decision', { exact: true }).selectOption('deny');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.getByText('No decision matches these filters.').count()).toBe(1);
  });

  it('shows who holds what: a user, a project, and the implied-role graph as a picture', async () => {
    await page.getByRole('link', { name: 'Who holds what' }).click();
    await page.getByLabel('User', { exact: true }).selectOption({ label: 'carol' });
    await expect.poll(() => page.getByRole('region', { name: 'Groups of carol' }).textContent()).toContain('ops');
    const grants = page.getByRole('region', { name: 'Grants to carol and their groups' });
    await expect.poll(() => grants.textContent()).toContain('inherited to projects');
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'sales-eu' });
    const effective = page.getByRole('table', { name: 'Effective roles on project sales-eu' });
    await expect.poll(() => effective.textContent()).toContain('via group ops');
    expect(await effective.textContent()).toContain('inherited from project sales');
    expect(await effective.textContent()).toContain('implied by manager');
    await check('who-user');

    // Arrow keys move between the tabs.
    await page.getByRole('tab', { name: 'By user' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'By project' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: 'sales-eu' }).click();
    const holders = page.getByRole('table', { name: 'Effective role assignments on the project' });
    await expect.poll(() => holders.textContent()).toContain('dave');
    expect(await holders.textContent()).toContain('carol');
    await check('who-project');

    await page.getByRole('tab', { name: 'Implied roles' }).click();
    const graph = page.getByRole('img', { name: 'Implied-role graph' });
    await graph.waitFor();
    expect(await graph.locator('.graph-node').allTextContents()).toEqual(expect.arrayContaining(['admin', 'manager', 'member', 'reader', 'auditor']));
    expect(await graph.locator('.graph-edge').count()).toBe(4);
    await check('who-implied-roles');
  });

  it('lists the three lock families in one list and releases a Manila lock', async () => {
    await page.getByRole('link', { name: 'Locks' }).click();
    const table = page.getByRole('table', { name: /locks?( matching the filter)?$/ });
    await expect.poll(async () => table.locator('tbody > tr').count()).toBe(3);
    const text = await table.textContent();
    for (const family of ['Manila resource lock', 'Traffic Ops CDN lock', 'Route lock']) expect(text).toContain(family);
    // Route locks are released by their holder only (no admin override): no button for dave's.
    expect(await page.getByRole('button', { name: 'Release the lock on volume 7' }).count()).toBe(0);
    await check('locks');

    await page.getByLabel('Filter by resource, holder or reason').fill('retention');
    await expect.poll(async () => table.locator('tbody > tr').count()).toBe(1);
    await page.getByLabel('Filter by resource, holder or reason').fill('');
    await page.getByLabel('Family').selectOption('manila');
    await expect.poll(async () => table.locator('tbody > tr').count()).toBe(1);
    await page.getByRole('button', { name: `Release the lock on share ${SHARE}` }).click();
    await page.getByRole('button', { name: 'Confirm release' }).click();
    await expect.poll(async () => table.locator('tbody > tr').count()).toBe(0);
    expect((await api('GET', '/v1/locks?family=manila')).body.locks).toEqual([]);
    const decision = await api('POST', '/access/v1/evaluation', {
      subject: { type: 'user', id: 'dave' },
      action: { name: 'delete' },
      resource: { type: 'share', id: SHARE },
    });
    expect(decision.body.decision).toBe(true);
  });

  it('previews a policy edit side by side, refuses a broken draft, and applies a valid one', async () => {
    const before = (await api('GET', '/v1/policy')).body.policy.version as number;
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByRole('button', { name: 'Edit resources.csv' }).click();
    const editor = page.getByLabel(/Edit the draft/);
    const original = await editor.inputValue();
    expect(original).toContain('p, owner, *, update, allow');
    const apply = page.getByRole('button', { name: 'Apply' });
    expect(await apply.isDisabled()).toBe(true);

    // A draft that does not load: every problem shown, nothing to apply.
    await editor.fill(`${original}\np, owner, *, update, perhaps\n`);
    await page.getByRole('button', { name: 'Preview impact' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('resources.csv');
    expect(await apply.isDisabled()).toBe(true);

    // Owners no longer update what they own: alice's logged allow would flip.
    await editor.fill(original.replace('p, owner, *, update, allow', '# owners no longer update'));
    await page.getByRole('button', { name: 'Preview impact' }).click();
    const impact = page.getByRole('region', { name: 'Impact' });
    await expect.poll(() => impact.textContent()).toContain('would change');
    const flips = impact.getByRole('table', { name: 'Decisions the draft would flip' });
    const row = flips.locator('tbody > tr').filter({ hasText: 'alice' });
    expect(await row.locator('td').nth(1).textContent()).toContain('Allow');
    expect(await row.locator('td').nth(1).textContent()).toContain('policies/resources.csv:12');
    expect(await row.locator('td').nth(2).textContent()).toContain('Deny');
    await check('policy-impact');

    expect(await apply.isDisabled()).toBe(false);
    await apply.click();
    await page.getByRole('status').filter({ hasText: /Applied resources.csv: policy version \d+ is in force/ }).waitFor();
    expect(readFileSync(path.join(policyDir, 'resources.csv'), 'utf8')).toContain('# owners no longer update');
    expect((await api('GET', '/v1/policy')).body.policy.version).toBeGreaterThan(before);
    const now = await api('POST', '/access/v1/evaluation', {
      subject: { type: 'user', id: 'alice' },
      action: { name: 'update' },
      resource: { type: 'document', id: '42' },
    });
    expect(now.body.decision).toBe(false);
    await check('policy');
  });

  it('shows a failed reload on the Policy page: the error, and the file it was in', async () => {
    const file = path.join(policyDir, 'trafficops.csv');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, `${good}p, role:admin, cdn, snap, perhaps\n`);
    try {
      expect((await api('POST', '/v1/policy/reload')).status).toBe(400);
      await page.getByRole('link', { name: 'Decide' }).click();
      await page.getByRole('link', { name: 'Policy' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('The last reload failed');
      expect(await page.getByRole('alert').textContent()).toContain('perhaps');
      // The impact announced on the Policy page before went when another page opened.
      expect(await page.locator('.toast').count()).toBe(0);
      const row = page.getByRole('row').filter({ hasText: 'trafficops.csv' });
      expect(await row.textContent()).toContain('does not load');
      expect(await page.getByRole('row').filter({ hasText: 'does not load' }).count()).toBe(1);
      await check('policy-reload-error');
    } finally {
      writeFileSync(file, good);
    }
    expect((await api('POST', '/v1/policy/reload')).status).toBe(200);
  });

  it('lets a reader see but not change: no release, no edit, no decision log', async () => {
    const reader = await browser.newPage();
    await reader.goto(`${server.url}/console/`);
    await reader.getByLabel('User name', { exact: true }).fill('bob');
    await reader.getByLabel('Password', { exact: true }).fill(PASSWORDS.bob);
    await reader.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => reader.getByText('Signed in as').textContent()).toContain('bob');

    await reader.getByRole('link', { name: 'Locks' }).click();
    const table = reader.getByRole('table', { name: /locks?$/ });
    await expect.poll(async () => table.locator('tbody > tr').count()).toBe(2);
    expect(await reader.getByRole('button', { name: /^Release/ }).count()).toBe(0);
    await check('reader-locks', reader);

    await reader.getByRole('link', { name: 'Policy' }).click();
    await reader.getByRole('button', { name: 'View resources.csv' }).click();
    const contents = reader.getByLabel('Contents of resources.csv (read only)');
    await contents.waitFor();
    expect(await contents.getAttribute('readonly')).not.toBeNull();
    expect(await reader.getByRole('button', { name: 'Apply' }).count()).toBe(0);
    expect(await reader.getByRole('button', { name: 'Preview impact' }).count()).toBe(0);
    await check('reader-policy', reader);

    await reader.getByRole('link', { name: 'Decisions' }).click();
    await expect.poll(() => reader.getByText('You may not read the decision log').count()).toBe(1);
    await check('reader-decisions', reader);

    await reader.getByRole('link', { name: 'Who holds what' }).click();
    await reader.getByLabel('User', { exact: true }).selectOption({ label: 'alice' });
    await expect.poll(() => reader.getByRole('region', { name: 'Grants to alice and their groups' }).textContent()).toContain('member');

    // Signing out revokes the Keystone token this tab obtained.
    await reader.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => reader.getByText('You signed out.').count()).toBe(1);
    await reader.close();
  });

  it('lets a lock holder signed in to their project release their own route lock', async () => {
    const holder = await browser.newPage();
    await holder.goto(`${server.url}/console/`);
    await holder.getByLabel('User name', { exact: true }).fill('dave');
    await holder.getByLabel('Password', { exact: true }).fill(PASSWORDS.dave);
    await holder.getByLabel('Scope', { exact: true }).selectOption('default');
    await holder.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => holder.getByText('Signed in as').textContent()).toContain('dave');

    await holder.getByRole('link', { name: 'Locks' }).click();
    const release = holder.getByRole('button', { name: 'Release the lock on volume 7' });
    await release.waitFor();
    await check('holder-locks', holder);
    await release.click();
    await holder.getByRole('button', { name: 'Confirm release' }).click();
    // (The Release button gives way to the confirmation at once: wait for the row itself to go.)
    await expect.poll(async () => holder.getByRole('row').filter({ hasText: 'volume 7' }).count()).toBe(0);
    expect((await api('GET', '/v1/locks?family=route')).body.locks).toEqual([]);
    await holder.close();
  });

  it('keeps the session in the tab only', async () => {
    const other = await browser.newPage();
    await other.goto(`${server.url}/console/`);
    await other.getByRole('heading', { name: 'Sign in to the Portcullis console' }).waitFor();
    await other.close();
  });

  it('wrote no console error on any page', () => {
    expect(browser.errors).toEqual([]);
  });
}, 600_000);
