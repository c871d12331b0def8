/**
 * Watches the policy directory and reloads the engine after a change settles (300 ms quiet).
 * fs.watch is fast but not guaranteed on every filesystem, so a 1 s poll of file names, sizes and
 * mtimes backs it up: an edit takes effect within 2 s either way. A reload that fails leaves the
 * policy in force (the engine records the error).
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface PolicyWatcher {
  close(): void;
}

export function watchPolicyDir(dir: string, reload: () => Promise<unknown>, onError: (err: unknown) => void): PolicyWatcher {
  let timer: NodeJS.Timeout | undefined;
  let lastSignature: string | undefined;
  const trigger = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      reload().catch(onError);
    }, 300);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, () => trigger());
    watcher.on('error', onError);
  } catch (err) {
    onError(err);
  }
  const poll = setInterval(() => {
    signature(dir)
      .then((sig) => {
        if (lastSignature !== undefined && sig !== lastSignature) trigger();
        lastSignature = sig;
      })
      .catch(onError);
  }, 1000);
  poll.unref();
  void signature(dir).then((sig) => (lastSignature = sig), onError);
  return {
    close() {
      watcher?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    },
  };
}

async function signature(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.csv')).sort();
  const parts = await Promise.all(
    names.map(async (n) => {
      const s = await stat(path.join(dir, n));
      return `${n}:${s.size}:${s.mtimeMs}`;
    }),
  );
  return parts.join('|');
}
