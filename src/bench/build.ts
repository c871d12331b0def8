/**
 * Builds the pieces a bench run needs in one process: the dataset, the oracle, the request sets,
 * and (for in-process timing and the oracle test) a Portcullis over a store seeded with it.
 */
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { createPortcullis, type Portcullis } from '../portcullis.js';
import { createMemoryStores } from '../store/memory/memory-stores.js';
import type { Dataset, SizeName } from './dataset-types.js';
import { generateDataset } from './dataset.js';
import { loadDataset } from './load-stores.js';
import { Oracle, readPolicyRows } from './oracle.js';

export function policyDir(root = process.cwd()): string {
  return path.resolve(root, 'policies');
}

export function buildOracle(size: SizeName, seed?: number): { ds: Dataset; oracle: Oracle } {
  const ds = generateDataset(size, seed);
  return { ds, oracle: new Oracle(ds, readPolicyRows(policyDir())) };
}

/**
 * A Portcullis over a fresh memory store holding the dataset. `logLevel` 'info' sends the
 * per-decision log lines to /dev/null, to price logging without printing it.
 */
export async function buildPortcullis(ds: Dataset, logLevel: 'warn' | 'info' | 'silent' = 'warn'): Promise<Portcullis> {
  const stores = createMemoryStores();
  await loadDataset(ds, stores);
  const config = loadConfig({ PORTCULLIS_POLICY_WATCH: 'false', LOG_LEVEL: logLevel, PORTCULLIS_ADMIN_TOKEN: 'bench-in-process-token-0123' });
  const log = pino({ level: logLevel, base: { service: 'portcullis' } }, pino.destination({ dest: '/dev/null', sync: true }));
  return createPortcullis(config, { stores, log, defaultMetrics: false });
}
