/**
 * A FerretDB v1.24.2 for `npm run bench -- --store mongodb` when MONGODB_URI is unset: the binary
 * CI builds (FERRETDB_BIN, or ~/.cache/portcullis/ferretdb-v1.24.2/ferretdb; `.ci/run` builds it),
 * started as CI starts it (SQLite backend, loopback, telemetry off) on a free port with its own
 * state directory, and stopped (directory removed) at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

export interface RunningDatabase {
  readonly uri: string;
  /** What it is, for the report. */
  readonly label: string;
  stop(): Promise<void>;
}

const VERSION = 'v1.24.2';

function binary(): string {
  const cached = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'portcullis', `ferretdb-${VERSION}`, 'ferretdb');
  const bin = process.env.FERRETDB_BIN ?? cached;
  if (!existsSync(bin)) throw new Error(`no FerretDB at ${bin}: run .ci/run once (it builds it) or set MONGODB_URI / FERRETDB_BIN`);
  return bin;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startFerretDb(): Promise<RunningDatabase> {
  const bin = binary();
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-bench-ferretdb-'));
  mkdirSync(path.join(dir, 'sqlite'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    [
      '--handler=sqlite', `--sqlite-url=file:${dir}/sqlite/`, `--state-dir=${dir}`, `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=127.0.0.1:0', '--telemetry=disable', '--log-level=warn',
    ],
    { stdio: 'ignore' },
  );
  const uri = `mongodb://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 60; attempt++) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return { uri, label: `FerretDB ${VERSION} (SQLite backend, started for this run)`, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await client.close();
    }
  }
  await stop();
  throw new Error(`FerretDB at ${uri} did not answer within 30 s`);
}
