/**
 * Instructions per single evaluation, in process, under callgrind: the route's own handler
 * (`POST /access/v1/evaluation`, src/api/decision/authzen-routes.ts) called with a stand-in for
 * Koa's context, on 2,000 Zipf (or uniform) questions of the bench dataset: the plain-body check,
 * the subject's resolution, the caller's `authzen:evaluate` check, DecisionService.evaluate and
 * the explanation, what an evaluation runs beyond the no-op's route (Koa, the body parser and the
 * answer's JSON are the no-op's too, and are left out).
 *
 * Each call is given what the server gives a request: a body freshly parsed from its JSON text (so
 * its strings are new, unhashed ones, as a request's are), a server-made request id and a
 * principal made for the request (the admin token's, as the bench's). The `base` loop does only
 * that; the `evaluation` loop calls the handler too. One JSON.parse reviver call a loop: callgrind
 * collects inside the reviver only and dumps on entering the next, as in journal-instructions.ts:
 *
 *   valgrind --tool=callgrind --collect-atstart=no \
 *     --toggle-collect='v8::internal::JsonParseInternalizer::Internalize(*' \
 *     --dump-before='*JsonParseInternalizer*' \
 *     --callgrind-out-file=/tmp/ei.cg node .bench/dist/src/bench/evaluation-instructions.js
 *
 * (add `--cache-sim=yes --I1=32768,8,64 --D1=49152,12,64 --LL=2097152,16,64` for misses). The dumps
 * of more than 100,000 instructions hold the loops in order; (evaluation - base) / calls is an
 * evaluation's cost. `--alloc` instead samples allocation over the evaluation loop (V8's sampling
 * heap profiler, objects a scavenge collected included) and prints bytes a call by function.
 * Configured by BENCH_SIZE (M) and BENCH_DIST (zipf).
 */
import 'reflect-metadata';
import { Session } from 'node:inspector/promises';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { authzenRoutes } from '../api/decision/authzen-routes.js';
import { newRequestId } from '../request-id.js';
import { buildOracle, buildPortcullis } from './build.js';
import type { SizeName } from './dataset-types.js';
import { DEFAULT_SEED } from './dataset.js';
import { evaluationBody, makeQuestions, type Distribution } from './requests.js';

const PASSES = 5;
const WARM_PASSES = 20;
const SYSTEM_SCOPE = { type: 'system' as const };

type Handler = (ctx: Context) => unknown;

/** The evaluation route's handler, as authzenRoutes registers it. */
function evaluationHandler(register: (router: Router) => void): Handler {
  const handlers = new Map<string, Handler>();
  const collect = (path: string, ...layers: Handler[]) => void handlers.set(path, layers[layers.length - 1]!);
  register({ post: collect, get: collect, put: collect, delete: collect, use: () => undefined } as unknown as Router);
  const handler = handlers.get('/evaluation');
  if (!handler) throw new Error('no /evaluation route');
  return handler;
}

async function main(): Promise<void> {
  const size = (process.env.BENCH_SIZE ?? 'M') as SizeName;
  const dist = (process.env.BENCH_DIST ?? 'zipf') as Distribution;
  const { ds, oracle } = buildOracle(size, DEFAULT_SEED);
  const questions = makeQuestions(ds, oracle, 2000, dist, DEFAULT_SEED + 1);
  const texts = questions.map((q) => JSON.stringify(evaluationBody(q)));
  const p = await buildPortcullis(ds, 'warn');
  const handler = evaluationHandler((router) => authzenRoutes(router, p.context));
  const headers = { 'content-type': 'application/json' };
  let sink = 0;

  /** A request's context as the route reads it: the parsed body, its principal and request id. */
  const contextFor = (i: number) => {
    const requestId = newRequestId();
    return {
      req: { headers },
      request: { body: JSON.parse(texts[i]!) as unknown },
      // A literal, as authenticate.ts makes it: a spread of a shared object (as this harness once
      // did) defines requestId on a clone through the runtime, ~4,300 instructions a call, and
      // left the principal's loads megamorphic, missing to the runtime ~16 times an evaluation.
      state: { requestId, principal: { userId: 'admin', scope: SYSTEM_SCOPE, scopeKey: 'system', via: 'admin-token', requestId } },
      body: undefined as unknown,
    };
  };
  const steps: Record<string, (i: number) => void> = {
    base: (i) => void (sink += contextFor(i).state.requestId.length),
    evaluation: (i) => {
      const ctx = contextFor(i);
      handler(ctx as unknown as Context);
      if ((ctx.body as { decision: boolean }).decision !== questions[i]!.expected) throw new Error(`question ${i}: not the oracle's answer`);
    },
  };
  const n = questions.length;
  const pass = (step: (i: number) => void) => {
    for (let i = 0; i < n; i++) step(i);
  };
  for (const step of Object.values(steps)) for (let w = 0; w < WARM_PASSES; w++) pass(step);

  if (process.argv.includes('--alloc')) {
    const session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
    for (let w = 0; w < PASSES; w++) pass(steps.evaluation!);
    const { profile } = await session.post('HeapProfiler.getSamplingProfile');
    await session.post('HeapProfiler.stopSampling');
    const calls = PASSES * n;
    const bySite = new Map<string, number>();
    let total = 0;
    const walk = (node: typeof profile.head, stack: string) => {
      const frame = node.callFrame;
      const site = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
      const here = stack ? `${stack} < ${site}` : site;
      if (node.selfSize > 0) {
        bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
        total += node.selfSize;
      }
      for (const child of node.children) walk(child, site);
    };
    walk(profile.head, '');
    process.stdout.write(`allocated ~${(total / calls).toFixed(0)} bytes an evaluation (sampled)\n`);
    for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 80)) {
      process.stdout.write(`${(bytes / calls).toFixed(1).padStart(8)}  ${site}\n`);
    }
  } else {
    for (const [name, step] of Object.entries(steps)) {
      pass(step);
      JSON.parse('0', () => {
        for (let w = 0; w < PASSES; w++) pass(step);
        return 0;
      });
    }
    process.stdout.write(`${JSON.stringify({ loops: Object.keys(steps), callsPerLoop: PASSES * n, sink: sink > 0 })}\n`);
  }
  await p.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`evaluation instructions failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
