/**
 * `npm start` (compiled: `node dist/src/main.js`): read configuration, build Portcullis, listen,
 * and on SIGTERM or SIGINT stop cleanly (src/http-server.ts), exiting within about 2 s.
 */
import 'reflect-metadata';
import { loadConfig } from './config/config.js';
import { serve } from './http-server.js';
import { createPortcullis } from './portcullis.js';
import { createLogger } from './telemetry/logger.js';

/** Requests in flight get this long to finish; the process exits shortly after, whatever happens. */
const GRACE_MS = 1500;
const EXIT_DEADLINE_MS = 2000;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const portcullis = await createPortcullis(config, { log });
  const running = await serve(portcullis, { host: config.host, port: config.port, graceMs: GRACE_MS });
  const port = running.port;
  const store = config.mongoUri ? 'MongoDB' : 'in-memory store (ephemeral, not for production)';
  log.info(
    { host: config.host, port, pid: process.pid, store: portcullis.context.stores.kind, policyVersion: portcullis.context.engine.status().version },
    `Portcullis listening on http://${config.host}:${port} with the ${store}`,
  );
  if (config.adminTokenGenerated) {
    // Printed once, on stderr, so it is not captured in JSON log pipelines by accident.
    process.stderr.write(
      `\nAdmin token (user "admin", generated because PORTCULLIS_ADMIN_TOKEN is unset):\n  ${config.adminToken}\n` +
        `Use it as:  curl -H "Authorization: Bearer ${config.adminToken}" http://${config.host}:${port}/v1/policy\n` +
        `Mint user tokens with:  PORTCULLIS_JWT_SECRET=... npm run token -- --sub <user-id> [--project <id>]\n\n`,
    );
  } else {
    log.info('authenticate with PORTCULLIS_ADMIN_TOKEN as a bearer token, or a JWT signed with the configured key');
  }
  const shutdown = (signal: string) => {
    // The deadline and the stop come first: logging can fail (stdout closed under us).
    setTimeout(() => process.exit(1), EXIT_DEADLINE_MS).unref();
    const stopped = running.stop();
    quietly(() => log.info({ signal }, 'shutting down: readiness 503, finishing requests in flight'));
    stopped.then(
      () => {
        quietly(() => log.info('stopped'));
        process.exit(0);
      },
      (err: unknown) => {
        quietly(() => log.error({ err }, 'stop failed'));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/** Runs a log call, ignoring a failure to write it. */
function quietly(write: () => void): void {
  try {
    write();
  } catch {
    // nowhere left to report it
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`portcullis failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
