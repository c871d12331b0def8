/** The Portcullis package root, for files shipped beside the code (model.conf, the built console). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory above this module with our package.json (works from src/ and from dist/src/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'portcullis') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the portcullis package root');
    dir = parent;
  }
}
