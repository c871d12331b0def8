/**
 * The database going away at run time (issue 11). Portcullis talks to MongoDB through a TCP relay
 * that the test can cut (existing connections reset, new ones refused: what a stopped server
 * looks like) and restore on the same port. While cut: /readyz is 503 and says so; writes and
 * management reads answer 503 in their family's envelope within the server-selection timeout
 * (2 s), never hanging; decisions are still served from memory until the read model is older
 * than PORTCULLIS_MAX_STALENESS_MS (3 s here), then refused with 503. Once the database is back,
 * the replica catches up and serves again without a restart.
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { mongoUri } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('outage');
const MAX_STALENESS_MS = 3000;

/** A cuttable relay to the MongoDB in MONGODB_URI (single host, mongodb:// scheme). */
class Relay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

const target = new URL(uri.replace(/^mongodb:\/\//, 'http://'));
const relay = new Relay(target.hostname, Number(target.port || 27017));
let t: TestApp;

beforeAll(async () => {
  if (!uri.startsWith('mongodb://') || uri.slice('mongodb://'.length).split('/')[0]!.includes(',')) {
    throw new Error('the outage test needs a single-host mongodb:// MONGODB_URI');
  }
  await relay.open();
  const relayed = new URL(uri.replace(/^mongodb:\/\//, 'http://'));
  relayed.host = `127.0.0.1:${relay.port}`;
  t = await startTestApp({
    MONGODB_URI: relayed.toString().replace(/^http:\/\//, 'mongodb://'),
    MONGODB_DB: dbName,
    PORTCULLIS_MAX_STALENESS_MS: String(MAX_STALENESS_MS),
  });
});

afterAll(async () => {
  await t?.close();
  await dropDatabase(uri, dbName);
});

const evaluation = (id: string) => ({
  body: { subject: { type: 'user', id: 'jdoe' }, action: { name: 'update' }, resource: { type: 'vm', id } },
});

/** Runs a request and says how long it took. */
async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: Math.round(performance.now() - started) };
}

it('serves decisions from memory up to the maximum staleness, refuses writes with 503 at once, and resumes', { timeout: 90000 }, async () => {
  expect((await t.request('PUT', '/v1/resources/vm/1', { body: { owner: 'jdoe' } })).status).toBe(201);
  expect((await t.request('POST', '/access/v1/evaluation', evaluation('1'))).body.decision).toBe(true);
  expect((await t.request('GET', '/readyz')).status).toBe(200);

  await relay.cut();
  const cutAt = performance.now();
  // Decisions: still served from memory while the read model is younger than the bound.
  const served = await t.request('POST', '/access/v1/evaluation', evaluation('1'));
  expect(performance.now() - cutAt).toBeLessThan(MAX_STALENESS_MS);
  expect(served.status).toBe(200);
  expect(served.body.decision).toBe(true);

  const ready = await t.request('GET', '/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body).toMatchObject({ status: 'not ready', store: { kind: 'mongodb', reachable: false } });

  // Writes and management reads: 503 in the family's envelope, within the selection timeout.
  const write = await timed(() => t.request('PUT', '/v1/resources/vm/2', { body: { owner: 'jdoe' } }));
  expect(write.result.status).toBe(503);
  expect(write.result.body).toEqual({ error: { code: 503, message: expect.any(String) } }); // the Portcullis family envelope
  expect(write.ms).toBeLessThan(5000);
  const keystone = await timed(() => t.request('POST', '/identity/v3/roles', { body: { role: { name: 'during-outage' } } }));
  expect(keystone.result.status).toBe(503);
  expect(keystone.ms).toBeLessThan(5000);
  expect((await t.request('GET', '/v1/resources/vm/1')).status).toBe(503);

  // A request asking for full consistency cannot be answered.
  expect((await t.request('POST', '/access/v1/evaluation', { body: { ...evaluation('1').body, context: { consistency: 'full' } } })).status).toBe(503);

  // Decisions are refused once the read model is older than the bound, in the family's envelope,
  // and /readyz says so.
  await expect
    .poll(async () => (await t.request('POST', '/access/v1/evaluation', evaluation('1'))).status, { timeout: 15000, interval: 200 })
    .toBe(503);
  const refusedAfterMs = Math.round(performance.now() - cutAt);
  // Staleness counts from the start of the last poll that succeeded, up to one interval (100 ms) before the cut.
  expect(refusedAfterMs).toBeGreaterThanOrEqual(MAX_STALENESS_MS - 100);
  const refused = await t.request('POST', '/access/v1/evaluation', evaluation('1'));
  expect(refused.body).toEqual({ error: { code: 503, message: expect.any(String) } });
  const stale = (await t.request('GET', '/readyz')).body;
  expect(stale.sync).toMatchObject({ servingDecisions: false, lastError: { message: expect.any(String) } });

  await relay.open(); // same port: the driver reconnects on its own
  await expect.poll(async () => (await t.request('GET', '/readyz')).status, { timeout: 20000, interval: 200 }).toBe(200);
  await expect.poll(async () => (await t.request('POST', '/access/v1/evaluation', evaluation('1'))).status, { timeout: 10000, interval: 100 }).toBe(200);
  expect((await t.request('PUT', '/v1/resources/vm/2', { body: { owner: 'jdoe' } })).status).toBe(201);
  expect((await t.request('POST', '/access/v1/evaluation', evaluation('2'))).body.decision).toBe(true);
  const back = await t.request('GET', '/v1/resources/vm/1');
  expect(back.body.resource).toMatchObject({ owner: 'jdoe' });
  expect((await t.request('GET', '/readyz')).body.sync).toMatchObject({ servingDecisions: true, lastError: null });
  process.stdout.write(
    `outage: writes answered 503 in ${write.ms} ms (registry) and ${keystone.ms} ms (Keystone); decisions served from memory, ` +
      `then refused ${refusedAfterMs} ms after the cut (bound ${MAX_STALENESS_MS} ms); service resumed after the relay reopened\n`,
  );
});
