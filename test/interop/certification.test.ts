/**
 * The AuthZEN Authorization API 1.0 certification scenario (openid/authzen
 * certification/authorization-api-1_0-scenario.md) as data: test/interop/certification/checks.json
 * holds each check's request, as the harness sends it, and what the harness validates. Besides
 * each check's own expectations, every answer is held to the scenario's structural rules
 * (§C.2.3, §C.3.3, §C.4, §C.5): JSON bodies, a boolean `decision`, an object `context`,
 * `evaluations` without a top-level decision, results of the requested type, a string
 * `page.next_token`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestResponse } from '../helpers/test-app.js';
import { startFixture, type FixtureApp } from './fixture.js';

interface Expect {
  readonly status: number;
  readonly decision?: boolean;
  readonly evaluations?: readonly boolean[];
  readonly evaluationsLength?: number;
  /** [index, decision]: one item's decision (the others are not validated). */
  readonly evaluationAt?: readonly [number, boolean];
  readonly resultsInclude?: readonly Record<string, string>[];
  readonly resultsType?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A limited page carries a next_token, and following it answers the rest (§C.4.5). */
  readonly paginates?: boolean;
  /** PDP metadata (§C.6): policy_decision_point is the base URL, endpoints are URLs. */
  readonly metadata?: boolean;
}

interface Check {
  readonly id: string;
  readonly title: string;
  readonly path: string;
  readonly method?: string;
  readonly body?: Record<string, unknown>;
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly repeat?: number;
  readonly expect: Expect;
}

const FILE = path.join(path.dirname(new URL(import.meta.url).pathname), 'certification', 'checks.json');
const scenario = JSON.parse(readFileSync(FILE, 'utf8')) as { fixture: string; checks: Check[] };

describe('AuthZEN 1.0 certification scenario', () => {
  let app: FixtureApp;
  beforeAll(async () => {
    app = await startFixture(scenario.fixture);
  });
  afterAll(async () => app?.close());

  const send = (check: Check, body = check.body): Promise<TestResponse> => {
    const url = check.path.startsWith('/') ? check.path : `/access/v1/${check.path}`;
    const options = {
      ...(check.headers ? { headers: { 'Content-Type': 'application/json', ...check.headers } } : {}),
      ...(check.raw !== undefined ? { raw: check.raw, headers: { 'Content-Type': 'application/json', ...check.headers } } : {}),
      ...(check.raw === undefined && body !== undefined ? { body } : {}),
    };
    return app.t.request(check.method ?? 'POST', url, options);
  };

  it.each(scenario.checks.map((c) => [`${c.id} ${c.title}`, c] as const))('%s', async (_title, check) => {
    const e = check.expect;
    for (let round = 0; round < (check.repeat ?? 1); round++) {
      const res = await send(check);
      expect(res.status, res.text).toBe(e.status);
      if (e.status !== 200) {
        expect(res.body?.error?.code).toBe(e.status);
        continue;
      }
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      structure(check, res.body);
      if (e.decision !== undefined) expect(res.body.decision).toBe(e.decision);
      if (e.evaluations) expect(res.body.evaluations.map((x: { decision: boolean }) => x.decision)).toEqual(e.evaluations);
      if (e.evaluationsLength !== undefined) expect(res.body.evaluations).toHaveLength(e.evaluationsLength);
      if (e.evaluationAt) expect(res.body.evaluations[e.evaluationAt[0]].decision).toBe(e.evaluationAt[1]);
      if (e.resultsInclude) expect(res.body.results).toEqual(expect.arrayContaining(e.resultsInclude.map((r) => expect.objectContaining(r))));
      if (e.resultsType) for (const r of res.body.results) expect(r.type).toBe(e.resultsType);
      if (e.body !== undefined) expect(res.body).toEqual(e.body);
      for (const [name, value] of Object.entries(e.headers ?? {})) expect(res.headers.get(name)).toBe(value);
      if (e.paginates) await paginates(check, res.body);
      if (e.metadata) metadata(res.body);
    }
  });

  /** §C.4.5: a limited page has a non-empty token; following it answers with a string token. */
  async function paginates(check: Check, first: { results: unknown[]; page?: { next_token?: unknown } }) {
    expect(first.results).toHaveLength(1);
    const token = first.page?.next_token;
    expect(typeof token).toBe('string');
    expect(token).not.toBe('');
    const { page: _page, ...rest } = check.body!;
    const next = await send(check, { ...rest, page: { token } });
    expect(next.status, next.text).toBe(200);
    structure(check, next.body);
    expect(next.body.page).toEqual(expect.objectContaining({ next_token: expect.any(String) }));
    expect(next.body.page.next_token).toBe(''); // the fixture's results fit in the rest of the default page
    expect(next.body.results.length).toBeGreaterThan(0);
  }

  function metadata(body: Record<string, unknown>) {
    expect(body.policy_decision_point).toBe(app.t.url);
    expect(body.access_evaluation_endpoint).toBe(`${app.t.url}/access/v1/evaluation`);
    for (const key of ['access_evaluations_endpoint', 'search_subject_endpoint', 'search_resource_endpoint', 'search_action_endpoint']) {
      expect(() => new URL(String(body[key]))).not.toThrow();
    }
  }
});

/** The scenario's structural rules for a 200 answer of each API. */
function structure(check: Check, body: Record<string, any>) {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const decisionShape = (d: Record<string, unknown>) => {
    expect(typeof d.decision).toBe('boolean');
    if (d.context !== undefined) expect(isObject(d.context)).toBe(true);
  };
  if (check.path === 'evaluation') decisionShape(body);
  else if (check.path === 'evaluations') {
    if (Array.isArray(body.evaluations)) {
      expect(body.decision).toBeUndefined();
      body.evaluations.forEach(decisionShape);
      const asked = (check.body?.evaluations as unknown[] | undefined)?.length;
      if (asked) expect(body.evaluations).toHaveLength(asked);
    } else decisionShape(body);
  } else if (check.path.startsWith('search/')) {
    expect(Array.isArray(body.results)).toBe(true);
    const key = check.path === 'search/action' ? 'name' : 'id';
    for (const r of body.results) expect(typeof r[key]).toBe('string');
    if (body.page !== undefined) {
      expect(isObject(body.page)).toBe(true);
      if (body.page.next_token !== undefined) expect(typeof body.page.next_token).toBe('string');
    }
  }
}
