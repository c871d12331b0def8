/**
 * The OpenID AuthZEN interop suites (openid/authzen interop/), as data: each file in
 * test/interop/suites keeps an upstream file's requests, exactly as its harness sends them, and
 * its expected answers, and names the fixture it runs against. Each request is sent as is and
 * compared the way the upstream harness compares it:
 *   evaluation   `decision` equals the expected boolean
 *   evaluations  the `evaluations` array equals the expected one exactly
 *   search/*     the whole body equals `{results}`, results compared in any order
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type FixtureApp } from './fixture.js';

interface Case {
  readonly request: Record<string, unknown>;
  readonly expected: unknown;
}

interface Suite {
  readonly about: string;
  readonly source: { readonly repo: string; readonly path: string; readonly commit: string };
  readonly fixture: string;
  readonly userName?: string;
  /** `search/subject|resource|action`; decision suites use `evaluation` and `evaluations`. */
  readonly endpoint?: string;
  readonly evaluation?: readonly Case[];
  readonly evaluations?: readonly Case[];
}

const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'suites');
const suites = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, suite: JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as Suite }));

/** A short title for a case: who, what, on what. */
function title(c: Case): string {
  const r = c.request as { subject?: { id?: string; type?: string }; action?: { name?: string }; resource?: { type?: string; id?: unknown } };
  const who = r.subject?.id ?? `any ${r.subject?.type}`;
  const what = r.action?.name ?? 'which actions';
  const on = r.resource ? `${r.resource.type}${r.resource.id === undefined ? '' : `/${String(r.resource.id)}`}` : 'items';
  return `${who} ${what} ${on} → ${JSON.stringify(c.expected)}`.slice(0, 200);
}

const byKey = (item: Record<string, string>) => `${item.type ?? ''}\u0000${item.id ?? item.name ?? ''}`;
const unordered = (body: { results?: Record<string, string>[] }) => ({
  ...body,
  results: [...(body.results ?? [])].sort((a, b) => (byKey(a) < byKey(b) ? -1 : 1)),
});

describe.each(suites)('AuthZEN interop $file', ({ suite }) => {
  let app: FixtureApp;
  beforeAll(async () => {
    app = await startFixture(suite.fixture, suite.userName);
  });
  afterAll(async () => app?.close());

  const post = (endpoint: string, body: unknown) => app.t.request('POST', `/access/v1/${endpoint}`, { body });

  if (suite.endpoint) {
    it.each((suite.evaluation ?? []).map((c) => [title(c), c] as const))(`${suite.endpoint}: %s`, async (_t, c) => {
      const res = await post(suite.endpoint!, c.request);
      expect(res.status, res.text).toBe(200);
      expect(unordered(res.body), title(c)).toEqual(unordered(c.expected as { results: Record<string, string>[] }));
    });
    return;
  }

  it.each((suite.evaluation ?? []).map((c) => [title(c), c] as const))('evaluation: %s', async (_t, c) => {
    const res = await post('evaluation', c.request);
    expect(res.status, res.text).toBe(200);
    expect(res.body.decision).toBe(c.expected);
  });

  if (suite.evaluations?.length) {
    it.each(suite.evaluations.map((c) => [title(c), c] as const))('evaluations: %s', async (_t, c) => {
      const res = await post('evaluations', c.request);
      expect(res.status, res.text).toBe(200);
      expect(res.body.evaluations).toEqual(c.expected);
    });
  }
});
