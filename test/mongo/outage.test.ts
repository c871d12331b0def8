/**
 * The database going away at run time. Portcullis talks to MongoDB through a TCP relay that the
 * test can cut (existing connections reset, new ones refused: what a stopped server looks like)
 * and restore on the same port. While cut, /readyz is 503 and API requests answer 503 in their
 * family's envelope; once restored, service resumes without a restart.
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { dropDatabase, freshDbName } from '../helpers/mongo-env.js';
import { mongoUri } from './server-process.js';

const uri = mongoUri();
const dbName = freshDbName('outage');

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
  t = await startTestApp({ MONGODB_URI: relayed.toString().replace(/^http:\/\//, 'mongodb://'), MONGODB_DB: dbName });
});

afterAll(async () => {
  await t?.close();
  await dropDatabase(uri, dbName);
});

it('answers 503 while the database is away and resumes when it returns', { timeout: 60000 }, async () => {
  expect((await t.request('PUT', '/v1/resources/vm/1', { body: { owner: 'jdoe' } })).status).toBe(201);
  expect((await t.request('GET', '/readyz')).status).toBe(200);

  await relay.cut();
  const started = performance.now();
  const ready = await t.request('GET', '/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body).toMatchObject({ status: 'not ready', store: { kind: 'mongodb', reachable: false } });
  const down = await t.request('GET', '/v1/resources/vm/1');
  expect(down.status).toBe(503);
  expect(down.body).toEqual({ error: { code: 503, message: expect.any(String) } }); // the Portcullis family envelope
  const evaluation = await t.request('POST', '/access/v1/evaluation', {
    body: { subject: { type: 'user', id: 'jdoe' }, action: { name: 'update' }, resource: { type: 'vm', id: '1' } },
  });
  expect(evaluation.status).toBe(503);
  const outageMs = Math.round(performance.now() - started);

  await relay.open(); // same port: the driver reconnects on its own
  await expect.poll(async () => (await t.request('GET', '/readyz')).status, { timeout: 20000, interval: 200 }).toBe(200);
  const back = await t.request('GET', '/v1/resources/vm/1');
  expect(back.status).toBe(200);
  expect(back.body.resource).toMatchObject({ owner: 'jdoe' });
  process.stdout.write(`outage: three 503 answers took ${outageMs} ms; service resumed after the relay reopened\n`);
});
