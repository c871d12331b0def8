/**
 * `npm start`: read configuration, build Portcullis, listen, and shut down cleanly on a signal.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import { loadConfig } from './config/config.js';
import { createPortcullis } from './portcullis.js';
import { createLogger } from './telemetry/logger.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const portcullis = await createPortcullis(config, { log });
  const server: Server = portcullis.app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const store = config.mongoUri ? 'MongoDB' : 'in-memory store (ephemeral, not for production)';
  log.info(
    { host: config.host, port, store: portcullis.context.stores.kind, policyVersion: portcullis.context.engine.status().version },
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
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    server.close(() => {
      portcullis.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`portcullis failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
