/**
 * Start-up against a MongoDB that cannot be reached fails fast, with a message naming the URI
 * and what to do, and a non-zero exit: no half-started server. Needs no database.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('refuses to start on an unreachable MongoDB within seconds, saying why', { timeout: 30000 }, async () => {
  const port = await closedPort();
  const started = performance.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', MONGODB_URI: `mongodb://127.0.0.1:${port}`, PORTCULLIS_POLICY_WATCH: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  expect(code).toBe(1);
  expect(stderr).toContain(`portcullis failed to start: cannot reach MongoDB at mongodb://127.0.0.1:${port}`);
  expect(stderr).toContain('Check MONGODB_URI');
  expect(seconds).toBeLessThan(15);
});
