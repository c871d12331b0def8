/**
 * Policy test suites: files kept beside the policies (`<name>.test.yaml`, `.test.yml` or
 * `.test.json`) that state what the policy must allow and deny, in the spirit of Cerbos' test
 * suites. A suite names its world (projects, principals with roles in scopes, groups and their
 * grants, resources with project, owner, group, attributes and locks) and expectations: a matrix
 * of principal x resource x action (combinations not listed are expected to be denied) and API
 * permission (`p2`) checks. docs/policy-tests.md describes the format.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BOOTSTRAP_IMPLICATIONS, BOOTSTRAP_ROLES } from '../bootstrap.js';

export const SUITE_FILE = /\.test\.(ya?ml|json)$/;

const name = z.string().min(1);
const effect = z.enum(['allow', 'deny']);
const attributes = z.record(z.string(), z.unknown());

/** A role held on a project, a domain or the system; `inherited` is OS-INHERIT (the projects below). */
const roleGrant = z
  .strictObject({
    role: name,
    project: name.optional(),
    domain: name.optional(),
    system: z.literal(true).optional(),
    inherited: z.boolean().default(false),
  })
  .refine((g) => [g.project, g.domain, g.system].filter((t) => t !== undefined).length === 1, {
    message: 'a role is held on exactly one of project, domain or system',
  });

const principal = z.strictObject({
  roles: z.array(roleGrant).default([]),
  groups: z.array(name).default([]),
  /** The subject as the app sends it (for `p` row conditions: r.sub.type, r.sub.properties). */
  type: name.default('user'),
  properties: attributes.optional(),
});

const group = z.strictObject({ roles: z.array(roleGrant).default([]) });

const project = z.strictObject({ domain: name.optional(), parent: name.optional() });

const lock = z.strictObject({
  /** Matched against p3's first column: `manila:<action>`, `cdn:soft`, `cdn:hard`, `route`. */
  kind: name,
  holder: name,
  shared: z.array(name).optional(),
  id: name.optional(),
});

const resource = z.strictObject({
  type: name,
  id: z.union([name, z.number()]).transform(String),
  project: name.optional(),
  domain: name.optional(),
  owner: name.optional(),
  group: name.optional(),
  attributes: attributes.optional(),
  locks: z.array(lock).default([]),
});

const matrixTest = z.strictObject({
  name,
  input: z.strictObject({
    principals: z.array(name).min(1),
    resources: z.array(name).min(1),
    actions: z.array(name).min(1),
  }),
  /** The request's `action.properties` and `context` (r.act.properties, r.ctx) for every check. */
  action_properties: attributes.optional(),
  context: attributes.optional(),
  /** Per principal and resource, the expected effect of each action; anything not listed: deny. */
  expected: z
    .array(z.strictObject({ principal: name, resource: name, actions: z.record(z.string(), effect) }))
    .default([]),
});

/** The caller's token scope, as a JWT gives it. */
const tokenScope = z.union([
  z.literal('system'),
  z.strictObject({ project: name }),
  z.strictObject({ domain: name }),
]);

const permissionTest = z.strictObject({
  name,
  principal: name,
  scope: tokenScope.default('system'),
  /** A valid X-Service-Token came with the request (r2.sub.service). */
  service: z.boolean().default(false),
  /** Facts a family attaches (ctx:admin, miq_group:<id>...), matched by non-role p2 subjects. */
  facts: z.array(name).default([]),
  /** What the family passes as r2.obj. */
  target: attributes.default({}),
  expected: z.record(z.string(), effect),
});

export const suiteSchema = z.strictObject({
  name,
  description: z.string().optional(),
  /** Global roles; default: the roles a new Portcullis bootstraps (admin, manager, member, reader, service). */
  roles: z.array(name).optional(),
  /** prior role → roles it implies; default: admin ⇒ manager ⇒ member ⇒ reader. */
  implied_roles: z.record(z.string(), z.array(name)).optional(),
  /** Projects by id; `domain` defaults to the parent's domain, else `default`. */
  projects: z.record(z.string(), project).default({}),
  principals: z.record(z.string(), principal).default({}),
  groups: z.record(z.string(), group).default({}),
  resources: z.record(z.string(), resource).default({}),
  tests: z.array(matrixTest).default([]),
  permissions: z.array(permissionTest).default([]),
});

export type Suite = z.output<typeof suiteSchema>;
export type SuiteRoleGrant = z.output<typeof roleGrant>;
export type SuiteResource = z.output<typeof resource>;
export type MatrixTest = z.output<typeof matrixTest>;
export type PermissionTest = z.output<typeof permissionTest>;

export interface LoadedSuite {
  /** The file, as the user named it (for messages). */
  readonly file: string;
  readonly suite: Suite;
}

export class SuiteError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SuiteError';
  }
}

/** Every suite file in the directory, in name order. */
export async function findSuites(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => SUITE_FILE.test(n)).sort();
  return names.map((n) => path.join(dir, n));
}

/** Reads and checks one suite; `file` is how messages name it (default: the path). */
export async function loadSuite(filePath: string, file = filePath): Promise<LoadedSuite> {
  let data: unknown;
  try {
    data = parseYaml(await readFile(filePath, 'utf8')); // YAML is a superset of JSON
  } catch (err) {
    throw new SuiteError(file, `cannot read: ${(err as Error).message}`);
  }
  const parsed = suiteSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new SuiteError(file, issues.join('; '));
  }
  checkReferences(file, parsed.data);
  return { file, suite: parsed.data };
}

/** Names a test uses must be defined; an expectation must lie inside its test's input matrix. */
function checkReferences(file: string, s: Suite): void {
  const problems: string[] = [];
  const roles = new Set<string>(s.roles ?? BOOTSTRAP_ROLES);
  const known = (kind: string, set: Record<string, unknown>, key: string, where: string) => {
    if (!(key in set)) problems.push(`${where}: unknown ${kind} "${key}"`);
  };
  const grants = [
    ...Object.entries(s.principals).flatMap(([n, p]) => p.roles.map((g) => [`principals.${n}`, g] as const)),
    ...Object.entries(s.groups).flatMap(([n, g]) => g.roles.map((r) => [`groups.${n}`, r] as const)),
  ];
  for (const [where, g] of grants) {
    if (!roles.has(g.role)) problems.push(`${where}: unknown role "${g.role}"`);
    if (g.project !== undefined) known('project', s.projects, g.project, where);
  }
  for (const [prior, implied] of Object.entries(s.implied_roles ?? {})) {
    for (const r of [prior, ...implied]) if (!roles.has(r)) problems.push(`implied_roles: unknown role "${r}"`);
  }
  for (const [n, p] of Object.entries(s.principals)) for (const g of p.groups) known('group', s.groups, g, `principals.${n}`);
  for (const [n, p] of Object.entries(s.projects)) if (p.parent !== undefined) known('project', s.projects, p.parent, `projects.${n}`);
  for (const [n, r] of Object.entries(s.resources)) if (r.project !== undefined) known('project', s.projects, r.project, `resources.${n}`);
  s.tests.forEach((t, i) => {
    const where = `tests[${i}] "${t.name}"`;
    for (const p of t.input.principals) known('principal', s.principals, p, where);
    for (const r of t.input.resources) known('resource', s.resources, r, where);
    for (const e of t.expected) {
      if (!t.input.principals.includes(e.principal)) problems.push(`${where}: expected principal "${e.principal}" is not in input.principals`);
      if (!t.input.resources.includes(e.resource)) problems.push(`${where}: expected resource "${e.resource}" is not in input.resources`);
      for (const a of Object.keys(e.actions)) {
        if (!t.input.actions.includes(a)) problems.push(`${where}: expected action "${a}" is not in input.actions`);
      }
    }
  });
  s.permissions.forEach((t, i) => {
    known('principal', s.principals, t.principal, `permissions[${i}] "${t.name}"`);
    if (typeof t.scope === 'object' && 'project' in t.scope) known('project', s.projects, t.scope.project, `permissions[${i}] "${t.name}"`);
  });
  if (problems.length) throw new SuiteError(file, problems.join('; '));
}
