/**
 * Bench-only API family under `/bench`, mounted by the bench server and never by `npm start`:
 *   POST /bench/noop   the physical limit: same Koa app, same auth middleware and JSON body
 *                      parsing as `/access/v1`, answering a constant the size of a decision answer
 *   GET  /bench/stats  server CPU time, RSS, event-loop delay and server-side request timings
 *   POST /bench/reset  starts a new measurement window
 *   POST /bench/profile/start, POST /bench/profile/stop?name=N
 *                      CPU profile of a window, written to $BENCH_PROFILE_DIR/N.cpuprofile (only
 *                      when that variable is set; src/bench/profile-http.ts uses them)
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import type { AppContext } from '../app-context.js';
import { authenticate } from '../auth/authenticate.js';
import { portcullisEnvelope } from '../api/decision/envelope.js';
import type { ApiFamily } from '../api/shared/family.js';
import type { ServerTimings } from './server-timings.js';

export interface NoopAnswer {
  /** The constant body; set once the server has computed a real decision answer to copy. */
  body: unknown;
}

export function createBenchFamily(app: AppContext, noop: NoopAnswer, timings: ServerTimings): ApiFamily {
  const auth = authenticate(app.authenticator, {
    carriers: ['bearer', 'x-auth-token'],
    message: 'The request you have made requires authentication.',
  });
  return {
    name: 'bench',
    prefixes: ['/bench'],
    envelope: portcullisEnvelope,
    routes(router) {
      router.use(auth);
      router.post('/noop', (ctx) => {
        ctx.body = noop.body;
      });
      router.get('/stats', (ctx) => {
        ctx.body = timings.snapshot();
      });
      router.post('/reset', (ctx) => {
        timings.reset();
        ctx.body = { reset: true };
      });
      const profileDir = process.env.BENCH_PROFILE_DIR;
      if (profileDir) {
        const session = new Session();
        session.connect();
        router.post('/profile/start', async (ctx) => {
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
          ctx.body = { profiling: true };
        });
        router.post('/profile/stop', async (ctx) => {
          const { profile } = await session.post('Profiler.stop');
          const file = path.join(profileDir, `${String(ctx.query.name ?? 'profile').replace(/\W+/g, '_')}.cpuprofile`);
          writeFileSync(file, JSON.stringify(profile));
          ctx.body = { file };
        });
      }
    },
  };
}
