/**
 * Bench-only API family under `/bench`, mounted by the bench server and never by `npm start`:
 *   POST /bench/noop   the physical limit: same Koa app, same auth middleware and JSON body
 *                      parsing as `/access/v1`, answering real decision answers without deciding:
 *                      the answer to the question its `X-Bench-Question` header names
 *   PUT  /bench/noop   sets the answers it gives: `{"evaluations": [...]}`, AuthZEN evaluation
 *                      bodies of the workloads, each decided once here; question i's answer is
 *                      what the no-op writes for `X-Bench-Question: i`
 *   GET  /bench/stats  server CPU time, RSS, event-loop delay and server-side request timings
 *   GET  /bench/cpu    server CPU time alone (read between the ratio's short runs: /bench/stats
 *                      summarises every request timed since the last reset, too dear there)
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
import { badRequest, conflict } from '../errors.js';
import type { ServerTimings } from './server-timings.js';

/**
 * Why real answers, not one constant: the serialised answer is a large part of a request's
 * cost, and it is not proportional to its length. An explanation with a role path holds `→` and
 * `⇒`, so V8 keeps it as a two-byte string, and JSON.stringify and the UTF-8 encoding take a
 * slower path for it. The one answer the no-op used to give (a featured case with a five-step
 * role chain, 552 bytes, two-byte) cost ~23k instructions a request more to write out than the
 * workload's answers do on average (~300 bytes; about a third of them two-byte), by callgrind.
 * That made the reference dearer and flattered every decision / no-op ratio.
 */

/**
 * The header naming the question a bench request asks: its index in the questions PUT /bench/noop
 * was given. Why by name, not in turn: autocannon walks the request list from the start on every
 * connection, so a run of n requests over c connections asks the list's first n / c questions,
 * each c times, and answers given in turn were the answers to other questions (at 1,000 requests
 * and 32 connections, profile-http's callgrind runs, the first 31 Zipf answers against 500 given
 * in turn: 346 characters and 55% two-byte against 303 and 37%). The evaluation requests carry the
 * same header, ignored, so both parse the same bytes.
 */
export const QUESTION_HEADER = 'x-bench-question';

/** Answers for every question of the bench's two workloads (2,000 each) and room to spare. */
const noopAnswersSchema = z.object({ evaluations: z.array(evaluationSchema).min(1).max(8000) });

export function createBenchFamily(app: AppContext, timings: ServerTimings): ApiFamily {
  let answers: readonly unknown[] = [];
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
        if (answers.length === 0) throw conflict('no answers to give yet: PUT /bench/noop first');
        const named = ctx.req.headers[QUESTION_HEADER];
        const answer = named === undefined || named === '' ? undefined : answers[Number(named)];
        if (answer === undefined) {
          throw badRequest(`${QUESTION_HEADER} must name a question PUT /bench/noop was given: 0 to ${answers.length - 1}`);
        }
        ctx.body = answer;
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
        answers = bodies;
        ctx.body = { answers: bodies.length };
      });
      router.get('/stats', (ctx) => {
        ctx.body = timings.snapshot();
      });
      router.get('/cpu', (ctx) => {
        ctx.body = timings.cpu();
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
