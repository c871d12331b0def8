/**
 * Logs and metrics of a request: every line written while handling it carries its request id
 * (the caller's X-Request-Id when it looks like one), one access line per request at info
 * (method, route, status, duration), and /metrics has the HTTP duration histogram by family,
 * method and route, and decision buckets up to 1 s.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/telemetry/logger.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('request logging and HTTP metrics', () => {
  let t: TestApp;
  let lines: Record<string, any>[] = [];
  let log: Logger;

  beforeAll(async () => {
    log = pino({ level: 'info', base: { service: 'portcullis' } }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    t = await startTestApp({ LOG_LEVEL: 'info' }, { log });
    await t.request('PUT', '/v1/resources/document/42', { body: { owner: 'alice', project_id: 'p1' } });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    lines = [];
  });

  const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);

  it('stamps the decision line and the access line with the request id the caller sent', async () => {
    const res = await t.request('POST', '/access/v1/evaluation', {
      headers: { 'X-Request-Id': 'req-42.a' },
      body: { subject: { type: 'user', id: 'alice' }, action: { name: 'update' }, resource: { type: 'document', id: '42' } },
    });
    expect(res.headers.get('x-request-id')).toBe('req-42.a');
    const mine = linesOf('req-42.a');
    expect(mine.map((l) => l.msg)).toEqual(['decision', 'request']);
    expect(mine[0]).toMatchObject({ decision: 'allow', subject: 'alice', resource: 'document/42' });
    expect(mine[1]).toMatchObject({ level: 30, method: 'POST', route: '/access/v1/evaluation', path: '/access/v1/evaluation', status: 200, family: 'portcullis' });
    expect(mine[1]!.ms).toBeGreaterThan(0);
    expect(lines.every((l) => l.requestId !== undefined)).toBe(true);
  });

  it('gives every request an id, replacing one that does not look like an id', async () => {
    const res = await t.request('GET', '/healthz', { headers: { 'X-Request-Id': 'x'.repeat(300) } });
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesOf(id)).toEqual([expect.objectContaining({ msg: 'request', route: '/healthz', family: 'ops', status: 200 })]);
  });

  it('stamps the lines of services called during the request (ownership, search, login failures)', async () => {
    await t.request('POST', '/api/vms/42', { headers: { 'X-Request-Id': 'miq-1' }, body: { action: 'set_ownership', resource: { owner: { id: 'nobody' } } } });
    expect(linesOf('miq-1').some((l) => l.msg === 'request' && l.family === 'manageiq')).toBe(true);
    await t.request('POST', '/access/v1/search/action', {
      headers: { 'X-Request-Id': 'search-1' },
      body: { subject: { type: 'user', id: 'alice' }, resource: { type: 'document', id: '42' } },
    });
    // A search's candidate checks are not decisions anyone asked for one by one: they write no
    // decision line (and keep no decision log record); what the search wrote is stamped.
    expect(linesOf('search-1').map((l) => l.msg)).toEqual(['request']);
    await t.request('POST', '/api/4.0/user/login', { token: null, headers: { 'X-Request-Id': 'login-1' }, body: { u: 'nobody', p: 'wrong' } });
    expect(linesOf('login-1').map((l) => l.msg)).toEqual(['password login failed', 'request']);
    expect(lines.filter((l) => l.requestId === undefined)).toEqual([]);
  });

  it('labels a path no route answers as (unmatched)', async () => {
    await t.request('GET', '/identity/v3/nothing-here', { headers: { 'X-Request-Id': 'nf-1' } });
    expect(linesOf('nf-1')).toEqual([expect.objectContaining({ route: '(unmatched)', status: 404, family: 'keystone' })]);
  });

  it('exposes the HTTP duration histogram by family, method and route, and decision buckets up to 1 s', async () => {
    await t.request('GET', '/identity/v3/roles/some-role-id');
    const text = (await t.request('GET', '/metrics', { token: null })).text;
    expect(text).toMatch(/portcullis_http_request_duration_seconds_bucket\{le="0.001",family="portcullis",method="POST",route="\/access\/v1\/evaluation"\} \d+/);
    expect(text).toMatch(/portcullis_http_request_duration_seconds_count\{family="keystone",method="GET",route="\/identity\/v3\/roles\/:role_id"\} 1/);
    expect(text).toMatch(/portcullis_decision_duration_seconds_bucket\{le="1",kind="resource"\} \d+/);
  });
  it('follows a change of the log level while it runs', async () => {
    const evaluate = (requestId: string) =>
      t.request('POST', '/access/v1/evaluation', {
        headers: { 'X-Request-Id': requestId },
        body: { subject: { type: 'user', id: 'alice' }, action: { name: 'update' }, resource: { type: 'document', id: '42' } },
      });
    try {
      log.level = 'warn';
      await evaluate('quiet-1');
      expect(linesOf('quiet-1')).toEqual([]);
      log.level = 'debug';
      await evaluate('chatty-1');
      expect(linesOf('chatty-1').map((l) => l.msg)).toEqual(['permission check', 'decision', 'request']);
    } finally {
      log.level = 'info';
    }
  });
});
