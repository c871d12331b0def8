/**
 * The bench server process: builds the seeded dataset inside this process, starts Portcullis over
 * it with the bench family mounted, listens, and prints one JSON line `{"ready": ...}` on stdout
 * with its phase timings. Configured by the environment the CLI passes:
 *   BENCH_SIZE (S|M|L), BENCH_SEED, PORT, PORTCULLIS_ADMIN_TOKEN, LOG_LEVEL (warn by default).
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/config.js';
import { createPortcullis } from '../portcullis.js';
import { createMemoryStores } from '../store/memory/memory-stores.js';
import { createBenchFamily } from './bench-family.js';
import type { SizeName } from './dataset-types.js';
import { DEFAULT_SEED, generateDataset } from './dataset.js';
import { loadDataset } from './load-stores.js';
import { ServerTimings } from './server-timings.js';

async function main(): Promise<void> {
  const booted = performance.now();
  const size = (process.env.BENCH_SIZE ?? 'M') as SizeName;
  const seed = Number(process.env.BENCH_SEED ?? DEFAULT_SEED);
  const config = loadConfig({ PORTCULLIS_POLICY_WATCH: 'false', LOG_LEVEL: 'warn', ...process.env });
  const onMongo = process.env.BENCH_STORE === 'mongodb';
  let stores: ReturnType<typeof createMemoryStores> | undefined;
  let generated = booted;
  if (!onMongo) {
    let ds: ReturnType<typeof generateDataset> | undefined = generateDataset(size, seed);
    generated = performance.now();
    stores = createMemoryStores();
    await loadDataset(ds, stores);
    ds = undefined; // the stores hold the data now; let the plain copy go
  }
  const loaded = performance.now();
  // Collect the generator's garbage before serving (the CLI starts this process with --expose-gc),
  // so RSS reflects Portcullis and its data rather than the bench's own dataset builder.
  (globalThis as { gc?: () => void }).gc?.();
  const collected = performance.now();
  const timings = new ServerTimings();
  const portcullis = await createPortcullis(config, {
    ...(stores ? { stores } : {}),
    defaultMetrics: false,
    extraFamilies: (context) => [createBenchFamily(context, timings)],
  });
  (globalThis as { gc?: () => void }).gc?.();
  const built = performance.now();
  const server = createServer(timings.wrap(portcullis.app.callback()));
  server.keepAliveTimeout = 60_000;
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const listening = performance.now();
  const port = (server.address() as AddressInfo).port;
  const phasesMs = onMongo
    ? { boot: booted, loadFromDatabase: built - collected, listen: listening - built }
    : {
        boot: booted,
        generate: generated - booted,
        seedStores: loaded - generated,
        collectGarbage: collected - loaded,
        createPortcullis: built - collected,
        listen: listening - built,
      };
  process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid, phasesMs })}\n`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench server failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
