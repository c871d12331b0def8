/**
 * Hostile JSON bodies in every family: nested deeper than the limit (400) or larger than it (413),
 * each answered in the family's own envelope, never 500; nothing is stored. Also: the depth check
 * itself never recurses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceedsDepth, MAX_JSON_BYTES, MAX_JSON_DEPTH } from '../../src/api/shared/json-body.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** `{"a": {"a": ... {} }}` with `depth` objects. */
const nested = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
const MANILA = { 'X-OpenStack-Manila-API-Version': '2.81' };

interface Case {
  readonly family: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Wraps the hostile value in an otherwise plausible body. */
  readonly wrap: (value: string) => string;
  readonly envelope: (status: number, body: any) => void;
}

const CASES: Case[] = [
  {
    family: 'portcullis (registry attributes)',
    method: 'PUT',
    path: '/v1/resources/document/deep',
    wrap: (v) => `{"project_id":"p1","attributes":${v}}`,
    envelope: (status, b) => expect(b).toEqual({ error: { code: status, message: expect.any(String) } }),
  },
  {
    family: 'portcullis (AuthZEN)',
    method: 'POST',
    path: '/access/v1/evaluation',
    wrap: (v) => `{"subject":{"type":"user","id":"alice","properties":${v}},"action":{"name":"read"},"resource":{"type":"document","id":"1"}}`,
    envelope: (status, b) => expect(b).toEqual({ error: { code: status, message: expect.any(String) } }),
  },
  {
    family: 'keystone (role extra)',
    method: 'POST',
    path: '/identity/v3/roles',
    wrap: (v) => `{"role":{"name":"deep","extra":${v}}}`,
    envelope: (status, b) => expect(b).toEqual({ error: { code: status, message: expect.any(String), title: expect.any(String) } }),
  },
  {
    family: 'manila',
    method: 'POST',
    path: '/share/v2/resource-locks',
    headers: MANILA,
    wrap: (v) => `{"resource_lock":{"resource_id":"5a313549-d346-44b6-9650-738ce08a9fee","lock_reason":${v}}}`,
    envelope: (status, b) => expect(b).toEqual({ [status === 400 ? 'badRequest' : 'overLimit']: { code: status, message: expect.any(String) } }),
  },
  {
    family: 'trafficops',
    method: 'POST',
    path: '/api/4.0/cdn_locks',
    wrap: (v) => `{"cdn":"cdn1","message":${v}}`,
    envelope: (_status, b) => expect(b).toEqual({ alerts: [{ text: expect.any(String), level: 'error' }] }),
  },
  {
    family: 'adminlocks',
    method: 'POST',
    path: '/admin/lock',
    wrap: (v) => `{"route":"volume","id":${v}}`,
    envelope: (status, b) => expect(b).toEqual({ data: expect.any(String), code: status }),
  },
  {
    family: 'manageiq',
    method: 'POST',
    path: '/api/vms/1',
    wrap: (v) => `{"action":"set_ownership","resource":{"owner":${v}}}`,
    envelope: (_status, b) => expect(b).toEqual({ error: { kind: expect.any(String), message: expect.any(String), klass: expect.any(String) } }),
  },
];

describe('JSON body limits in every family', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe.each(CASES)('$family', (c) => {
    it(`answers 400 in its envelope for JSON nested deeper than ${MAX_JSON_DEPTH} levels (5,000 deep included)`, async () => {
      for (const depth of [MAX_JSON_DEPTH, 5000]) {
        const res = await t.request(c.method, c.path, { raw: c.wrap(nested(depth)), headers: { ...c.headers } });
        expect(res.status, `depth ${depth}`).toBe(400);
        c.envelope(400, res.body);
      }
    });

    it(`answers 413 in its envelope for a body over ${MAX_JSON_BYTES} bytes`, async () => {
      const res = await t.request(c.method, c.path, { raw: c.wrap(JSON.stringify('x'.repeat(MAX_JSON_BYTES))), headers: { ...c.headers } });
      expect(res.status).toBe(413);
      c.envelope(413, res.body);
    });
  });

  it('accepts a body nested just within the limit', async () => {
    const res = await t.request('PUT', '/v1/resources/document/shallow', { raw: `{"attributes":${nested(MAX_JSON_DEPTH - 1)}}` });
    expect(res.status).toBe(201);
  });

  it('stored nothing for the refused bodies', async () => {
    expect((await t.request('GET', '/v1/resources/document/deep')).status).toBe(404);
    const roles = await t.request('GET', '/identity/v3/roles?name=deep');
    expect(roles.body.roles).toEqual([]);
  });

  it('answers an undecodable page token with 400', async () => {
    const res = await t.request('GET', '/v1/resources?page_token=%E2%9C%93not-a-token');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(400);
  });
});

describe('exceedsDepth', () => {
  it('measures objects and arrays, not scalars', () => {
    expect(exceedsDepth('text', 0)).toBe(false);
    expect(exceedsDepth({}, 1)).toBe(false);
    expect(exceedsDepth({ a: [{}] }, 2)).toBe(true);
    expect(exceedsDepth({ a: [{}] }, 3)).toBe(false);
  });

  it('does not recurse, however deep the value', () => {
    let deep: unknown = {};
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(exceedsDepth(deep, MAX_JSON_DEPTH)).toBe(true);
  });
});
