/**
 * Serving a Portcullis over HTTP, and stopping it cleanly. `stop()`:
 *   1. marks the app draining: `/readyz` answers 503 from that moment, and every response still
 *      being written carries `Connection: close`, so keep-alive clients reconnect elsewhere;
 *   2. stops accepting connections and closes the idle keep-alive ones at once;
 *   3. lets requests in flight finish, for up to `graceMs`, then cuts what is left;
 *   4. closes the app (policy watcher, replica sync, stores).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Portcullis } from './portcullis.js';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Resolves once every connection is closed and the app has released its resources. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** How long requests in flight may take to finish after stop() (default 1500 ms). */
  readonly graceMs?: number;
}

export async function serve(portcullis: Portcullis, options: ServeOptions): Promise<RunningServer> {
  const server = portcullis.app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  let stopping: Promise<void> | undefined;

  const stop = async () => {
    portcullis.context.lifecycle.draining = true;
    server.close();
    server.closeIdleConnections();
    const grace = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 1500);
    await closed;
    clearTimeout(grace);
    await portcullis.close();
  };

  return {
    server,
    port: (server.address() as AddressInfo).port,
    stop: () => (stopping ??= stop()),
  };
}
