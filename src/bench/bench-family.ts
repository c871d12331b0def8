/**
 * Bench-only API family under `/bench`, mounted by the bench server and never by `npm start`:
 *   POST /bench/noop   the physical limit: same Koa app, same auth middleware and JSON body
 *                      parsing as `/access/v1`, answering real decision answers without deciding
 *   PUT  /bench/noop   sets the answers it gives: `{"evaluations": [...]}`, AuthZEN evaluation
 *                      bodies of the workload, each decided once here; the no-op then answers
 *                      them in turn, so its bodies have the workload's sizes and characters
 *   GET  /bench/stats  server CPU time, RSS, event-loop delay and server-side request timings
 *   POST /bench/reset  starts a new measurement window
 *   POST /bench/profile/start, POST /bench/profile/stop?name=N
 *                      CPU profile of a window, written to $BENCH_PROFILE_DIR/N.cpuprofile (only
 *                      when that variable is set; src/bench/profile-http.ts uses them)
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { z } from 'zod';
import { explain } from '../api/decision/authzen-routes.js';
import { portcullisEnvelope } from '../api/decision/envelope.js';
import { evaluationSchema } from '../api/decision/schemas.js';
import type { ApiFamily } from '../api/shared/family.js';
import { parseWith } from '../api/shared/validation.js';
import type { AppContext } from '../app-context.js';
import { authenticate } from '../auth/authenticate.js';
import { conflict } from '../errors.js';
import type { ServerTimings } from './server-timings.js';

/**
 * Why real answers in turn, not one constant: the serialised answer is a large part of a request's
 * cost, and it is not proportional to its length. An explanation with a role path holds `→` and
 * `⇒`, so V8 keeps it as a two-byte string, and JSON.stringify and the UTF-8 encoding take a
 * slower path for it. The one answer the no-op used to give (a featured case with a five-step
 * role chain, 552 bytes, two-byte) cost ~23k instructions a request more to write out than the
 * workload's answers do on average (~300 bytes; about a third of them two-byte), by callgrind.
 * That made the reference dearer and flattered every decision / no-op ratio.
 */
interface NoopAnswers {
  bodies: readonly unknown[];
  next: number;
}

const noopAnswersSchema = z.object({ evaluations: z.array(evaluationSchema).min(1).max(1000) });

export function createBenchFamily(app: AppContext, timings: ServerTimings): ApiFamily {
  const noop: NoopAnswers = { bodies: [], next: 0 };
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
        if (noop.bodies.length === 0) throw conflict('no answers to give yet: PUT /bench/noop first');
        ctx.body = noop.bodies[noop.next];
        noop.next = noop.next + 1 === noop.bodies.length ? 0 : noop.next + 1;
      });
      router.put('/noop', async (ctx) => {
        const { evaluations } = parseWith(noopAnswersSchema, ctx.request.body);
        const bodies: unknown[] = [];
        for (const e of evaluations) {
          const result = await app.services.decisions.evaluate({
            subjectId: String(e.subject.id),
            action: e.action.name,
            resource: { type: e.resource.type, id: String(e.resource.id) },
          });
          bodies.push({ decision: result.allowed, context: explain(result) });
        }
        noop.bodies = bodies;
        noop.next = 0;
        ctx.body = { answers: bodies.length };
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
