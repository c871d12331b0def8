/**
 * `portcullis export` and `portcullis import`: the export document (directory, roles, implied
 * roles, grants, resources, locks, stored rules; never credentials) through a running server's
 * API (--server: any store, including the in-memory one) or straight on a MongoDB database
 * (--mongodb: the server may be down; for backups and moving between databases).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyImport, exportStores, parentsFirst, planImport, type ImportReport } from '../domain/backup/backup.js';
import { emptyDocument, exportDocumentSchema, SECTIONS, type ExportDocument } from '../domain/backup/document.js';
import type { Stores } from '../store/stores.js';
import { SERVER_HELP, SERVER_OPTIONS, serverClient, type ServerClient } from './server-client.js';
import { EXIT, str, UsageError, type CliIo, type ParsedArgs, type Verb } from './verb.js';

const TARGET_OPTIONS = { ...SERVER_OPTIONS, mongodb: { type: 'string' }, db: { type: 'string' } } as const;
const TARGET_HELP = `Where, exactly one of:
${SERVER_HELP}
  --mongodb URI  straight on a MongoDB database (the server need not run)
  --db NAME      the database (default: $MONGODB_DB, else portcullis)`;
/** A server import is sent in parts under the 1 MiB body limit. */
const CHUNK_BYTES = 512 * 1024;

type Target = { kind: 'server'; client: ServerClient } | { kind: 'store'; stores: Stores; where: string };

async function openTarget(args: ParsedArgs, io: CliIo): Promise<Target> {
  const mongodb = str(args, 'mongodb');
  if (mongodb && str(args, 'server')) throw new UsageError('give --server or --mongodb, not both');
  if (!mongodb) {
    if (!str(args, 'server') && !io.env.PORTCULLIS_URL) throw new UsageError('say where: --server URL (a running server) or --mongodb URI (straight on the database)');
    return { kind: 'server', client: serverClient(args, io) };
  }
  const db = str(args, 'db') ?? io.env.MONGODB_DB ?? 'portcullis';
  // Loaded only here: the MongoDB driver and typeorm are not needed by the other verbs.
  const { openMongoStores } = await import('../store/mongo/mongo-stores.js');
  const stores = await openMongoStores({ uri: mongodb, dbName: db, decisionLogSize: 0 });
  return { kind: 'store', stores, where: `MongoDB database ${db}` };
}

const counts = (doc: ExportDocument) => SECTIONS.map((s) => `${doc[s].length} ${s}`).join(', ');

export const exportVerb: Verb = {
  name: 'export',
  summary: 'write the directory, roles, grants, resources, locks and stored rules as one JSON document',
  help: `Usage: portcullis export (--server URL | --mongodb URI [--db NAME]) [--output FILE]

Writes one JSON document (format "portcullis-export", version 1) holding the directory (domains,
projects, users, groups, memberships), roles and implied roles, grants, registered resources, the
Manila, Traffic Ops and route locks, and the policy rules stored at run time, with their ids.
Credentials (password hashes, issued tokens) are not exported. Policy files are files: copy them.

${TARGET_HELP}
  --output FILE  write there (default: standard output)

Through a server (GET /v1/export) the token needs backup:export (admins by default).
Exit status: 0 written, 2 bad usage, 1 the server or database could not be read.
`,
  options: { ...TARGET_OPTIONS, output: { type: 'string', short: 'o' } },
  maxPositionals: 0,
  async run(args, io) {
    const target = await openTarget(args, io);
    let doc: ExportDocument;
    try {
      doc = target.kind === 'server' ? await target.client.request<ExportDocument>('GET', '/v1/export') : await exportStores(target.stores);
    } finally {
      if (target.kind === 'store') await target.stores.close();
    }
    const text = `${JSON.stringify(doc, null, 1)}\n`;
    const output = str(args, 'output');
    if (output && output !== '-') await writeFile(path.resolve(io.cwd, output), text);
    else io.out(text);
    io.err(`exported ${counts(doc)}\n`);
    return EXIT.ok;
  },
};

export const importVerb: Verb = {
  name: 'import',
  summary: 'merge an export document into a server or a database',
  help: `Usage: portcullis import FILE (--server URL | --mongodb URI [--db NAME])

Reads an export document (FILE, or - for standard input) and writes every record the target does
not hold yet. Nothing is deleted or overwritten: a record is already there when the target has
the same id, or the same unique name (domain name; project, user or group name in its domain;
role name and domain), and then the document's references follow the target's id (e.g. the
"admin" role a new Portcullis bootstrapped under an id of its own). Importing twice changes
nothing the second time. Other replicas pick the changes up from the change log, like any write.

${TARGET_HELP}

Through a server (POST /v1/import, in parts of at most 512 KiB) the token needs backup:export
and backup:import (admins by default).
Nothing is written when a policy row would not load, or when the document names a role, user,
group, project or domain that neither it nor the target holds.
Exit status: 0 imported, 2 bad usage or not an export document, 1 the target could not be
written, the document was refused, or some records clash with others of the same name (listed).
`,
  options: { ...TARGET_OPTIONS },
  maxPositionals: 1,
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) throw new UsageError('name the document: portcullis import FILE (or - for standard input)');
    let raw: unknown;
    try {
      raw = JSON.parse(file === '-' ? await io.stdin() : await readFile(path.resolve(io.cwd, file), 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const parsed = exportDocumentSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
      throw new UsageError(`${file} is not a Portcullis export document: ${issues.join('; ')}`);
    }
    const target = await openTarget(args, io);
    let report: ImportReport;
    let renamed: Readonly<Record<string, number>>;
    try {
      const existing = target.kind === 'server' ? exportDocumentSchema.parse(await target.client.request('GET', '/v1/export')) : await exportStores(target.stores);
      const plan = planImport(parsed.data, existing);
      renamed = plan.renamed;
      report = target.kind === 'server' ? await importInParts(target.client, plan.document) : await applyImport(target.stores, plan.document);
    } finally {
      if (target.kind === 'store') await target.stores.close();
    }
    for (const s of SECTIONS) {
      const r = report.sections[s];
      if (r.created || r.kept) io.out(`${s}: ${r.created} created, ${r.kept} already there${renamed[s] ? ` (${renamed[s]} under another id)` : ''}\n`);
    }
    if (report.conflicts.length) {
      io.out(`not imported (the name is taken by another record):\n${report.conflicts.map((c) => `  ${c}\n`).join('')}`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};

/** POSTs the document in parts, section by section, each under CHUNK_BYTES; sums the reports. */
async function importInParts(client: ServerClient, doc: ExportDocument): Promise<ImportReport> {
  const total = Object.fromEntries(SECTIONS.map((s) => [s, { created: 0, kept: 0 }])) as ImportReport['sections'];
  const conflicts: string[] = [];
  let part = emptyDocument();
  let size = 0;
  const send = async () => {
    if (!size) return;
    const r = await client.request<ImportReport>('POST', '/v1/import', part);
    for (const s of SECTIONS) {
      total[s].created += r.sections[s].created;
      total[s].kept += r.sections[s].kept;
    }
    conflicts.push(...r.conflicts);
    part = emptyDocument();
    size = 0;
  };
  for (const s of SECTIONS) {
    // Parents before children, so a part never names a parent project only a later part holds.
    const items: readonly unknown[] = s === 'projects' ? parentsFirst(doc.projects) : doc[s];
    for (const item of items) {
      const bytes = JSON.stringify(item).length + 1;
      if (size + bytes > CHUNK_BYTES) await send();
      (part[s] as unknown[]).push(item);
      size += bytes;
    }
    await send(); // a section is complete before the next one refers to it
  }
  return { sections: total, conflicts };
}
