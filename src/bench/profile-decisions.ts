/**
 * Profiling aid: runs in-process decisions on the bench dataset in a loop so a CPU profile shows
 * where a decision's time goes. Run with
 *   node --cpu-prof --cpu-prof-dir=.bench/profiles --import tsx src/bench/profile-decisions.ts [S|M|L] [seconds] [service|engine]
 * then summarise with `npx tsx src/bench/profile-summary.ts .bench/profiles/<file>.cpuprofile`.
 */
import { buildOracle, buildPortcullis } from './build.js';
import type { SizeName } from './dataset-types.js';
import { makeQuestions } from './requests.js';
import { resourceScope } from '../engine/scope.js';
import { locksOn } from '../domain/lock-facts.js';

const size = (process.argv[2] ?? 'M') as SizeName;
const seconds = Number(process.argv[3] ?? 10);
const mode = process.argv[4] ?? 'service';
const { ds, oracle } = buildOracle(size);
const questions = makeQuestions(ds, oracle, 2000, 'zipf', 7);
const p = await buildPortcullis(ds, 'warn');
const { decisions } = p.context.services;
const prepared = [];
for (const q of questions) {
  const r = await p.context.stores.resources.get(q.type, q.id);
  const locks = await locksOn(p.context.stores, { type: q.type, id: q.id, properties: r?.attributes ?? {} });
  prepared.push({
    subjectId: q.subject,
    action: q.action,
    resource: { type: q.type, id: q.id, scope: resourceScope({ projectId: r?.projectId, domainId: r?.domainId }), owner: r?.owner, group: r?.group },
    locks,
  });
}
const end = performance.now() + seconds * 1000;
let n = 0;
while (performance.now() < end) {
  for (let i = 0; i < questions.length; i++, n++) {
    if (mode === 'engine') p.context.engine.decideResource(prepared[i]!);
    else {
      const q = questions[i]!;
      await decisions.evaluate({ subjectId: q.subject, action: q.action, resource: { type: q.type, id: q.id } });
    }
  }
}
process.stderr.write(`${n} decisions in ${seconds} s: ${((seconds * 1e6) / n).toFixed(1)} µs each (${mode})\n`);
await p.close();
