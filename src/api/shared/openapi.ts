/**
 * OpenAPI 3.1 from the same zod schemas that validate requests. Each API family declares itself
 * once (`docs.family`: tag, credential carriers, error envelope) and then adds its routes; this
 * module fills in what is mechanical, so a route entry stays one short object:
 *   - path parameters from the `{name}` placeholders (strings unless the route says otherwise);
 *   - an operation id from the method and path;
 *   - the family's security alternatives (none for `public` routes);
 *   - the statuses every route of the family can answer besides its own: 401 when authenticated,
 *     400 and 413 when the method carries a JSON body (the shared body parser, depth and size
 *     limits), 503 when the store is unreachable, all in the family's error envelope;
 *   - the same operation again under each alias path (`alsoAt`), e.g. `/v3/...` for `/identity/v3/...`.
 * `docs/contributing.md` says how to document a new route; test/api/openapi-coverage.test.ts fails
 * when a mounted route has no entry here.
 */
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { MAX_JSON_DEPTH, MAX_JSON_BYTES } from './json-body.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';

/** Where each family's clients may carry a credential; a family lists the ones it accepts. */
export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'A JWT, or the admin token (PORTCULLIS_ADMIN_TOKEN).' },
  authToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'A JWT or the admin token (OpenStack and ManageIQ clients).' },
  mojolicious: { type: 'apiKey', in: 'cookie', name: 'mojolicious', description: 'A JWT or the admin token (Traffic Ops clients).' },
  refreshToken: { type: 'apiKey', in: 'cookie', name: 'refreshToken', description: 'A JWT or the admin token (route-lock clients).' },
  basic: { type: 'http', scheme: 'basic', description: 'A user name (default domain) and password (ManageIQ clients).' },
} as const;
export type SecurityScheme = keyof typeof SECURITY_SCHEMES;

export interface FamilyDoc {
  /** The tag its operations are grouped under (and how routes name their family). */
  readonly tag: string;
  readonly description: string;
  /** Accepted credential carriers, any one of which suffices. */
  readonly security: readonly SecurityScheme[];
  /** The family's error envelope; give it `.meta({ id })` (once, at module level) to have it under components. */
  readonly error: z.ZodType;
}

export interface ResponseDoc {
  readonly description: string;
  /** Body schema; error statuses without one get the family's envelope. */
  readonly schema?: z.ZodType;
  /** Media type of `schema` (JSON unless said). */
  readonly mediaType?: string;
}

export interface RouteDoc {
  readonly method: Method;
  /** OpenAPI path, with `{param}` placeholders. */
  readonly path: string;
  /** The family's tag (see FamilyDoc). */
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Other paths that answer the same way (prefix aliases). */
  readonly alsoAt?: readonly string[];
  /** No credential needed. */
  readonly public?: boolean;
  /** Path parameter schemas, when a plain string is not the whole truth. */
  readonly params?: Readonly<Record<string, z.ZodType>>;
  readonly query?: z.ZodObject;
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, ResponseDoc>>;
}

const BODY_METHODS: ReadonlySet<Method> = new Set(['post', 'put', 'patch', 'delete']);

/** A route as documented at one of its paths, with the operation id checked unique when added. */
interface Entry {
  readonly doc: RouteDoc;
  readonly path: string;
  readonly family: FamilyDoc;
  readonly operationId: string;
}

/**
 * The registry of documented routes. Adding one checks it at once (its family is declared, its
 * path and operation id are new); the OpenAPI document, and the zod-to-openapi library that
 * builds it (~30 ms of CPU to load), are made at the first request for it, so startup pays for
 * neither (some 300 operations).
 */
export class ApiDocs {
  private readonly families = new Map<string, FamilyDoc>();
  /** `METHOD path` of every documented operation, in the order added. */
  private readonly operations = new Set<string>();
  private readonly operationIds = new Set<string>();
  private readonly entries: Entry[] = [];
  private cached: Promise<Record<string, unknown>> | undefined;

  /** Declares a family; its routes name it by `tag`. */
  family(doc: FamilyDoc): void {
    if (!this.families.has(doc.tag)) this.families.set(doc.tag, doc);
  }

  add(doc: RouteDoc): void {
    const family = this.families.get(doc.tag);
    if (!family) throw new Error(`OpenAPI: declare the family '${doc.tag}' (docs.family) before its routes`);
    this.register(doc, doc.path, family);
    for (const alias of doc.alsoAt ?? []) {
      this.register({ ...doc, description: joinText(doc.description, `The same operation as \`${doc.method.toUpperCase()} ${doc.path}\`.`) }, alias, family);
    }
    this.cached = undefined;
  }

  /** Every documented operation, as `METHOD path` (tests compare them with the mounted routes). */
  operationKeys(): string[] {
    return [...this.operations];
  }

  /** The document, with `servers` naming the base URL it was fetched from. */
  async document(version: string, serverUrl: string): Promise<Record<string, unknown>> {
    // A failed build is not kept: the next request tries again, as it did before anything was cached.
    this.cached ??= this.generate(version).catch((err: unknown) => {
      this.cached = undefined;
      throw err;
    });
    return { ...(await this.cached), servers: [{ url: serverUrl }] };
  }

  private async generate(version: string): Promise<Record<string, unknown>> {
    const { OpenAPIRegistry, OpenApiGeneratorV31 } = await import('@asteasolutions/zod-to-openapi');
    const registry = new OpenAPIRegistry();
    for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
      registry.registerComponent('securitySchemes', name, { ...scheme });
    }
    for (const entry of this.entries) registry.registerPath(this.routeConfig(entry));
    return new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: {
        title: 'Portcullis',
        version,
        description:
          'Authorization sidecar: OpenID AuthZEN 1.0 decisions made by Casbin, and wire-compatible copies of the ' +
          'OpenStack Keystone v3, OpenStack Manila resource-lock, Traffic Ops cdn_locks, /admin route-lock and ' +
          `ManageIQ set_ownership APIs. JSON bodies are limited to ${MAX_JSON_BYTES} bytes and ${MAX_JSON_DEPTH} levels of nesting.`,
        license: { name: 'Apache 2.0', identifier: 'Apache-2.0' },
      },
      tags: [...this.families.values()].map((f) => ({ name: f.tag, description: f.description })),
    }) as unknown as Record<string, unknown>;
  }

  private register(doc: RouteDoc, path: string, family: FamilyDoc): void {
    const key = `${doc.method.toUpperCase()} ${path}`;
    const operationId = operationIdOf(doc.method, path);
    if (this.operations.has(key)) throw new Error(`OpenAPI: ${key} is documented twice`);
    if (this.operationIds.has(operationId)) throw new Error(`OpenAPI: operation id ${operationId} is not unique (${key})`);
    this.operations.add(key);
    this.operationIds.add(operationId);
    this.entries.push({ doc, path, family, operationId });
  }

  private routeConfig({ doc, path, family, operationId }: Entry): RouteConfig {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const params = names.length
      ? z.object(Object.fromEntries(names.map((n) => [n, doc.params?.[n] ?? z.string()])))
      : undefined;
    return {
      method: doc.method,
      path,
      operationId,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: [family.tag],
      security: doc.public ? [] : family.security.map((s) => ({ [s]: [] })),
      request: {
        ...(params ? { params } : {}),
        ...(doc.query ? { query: doc.query } : {}),
        ...(doc.headers ? { headers: doc.headers } : {}),
        ...(doc.body ? { body: { content: { 'application/json': { schema: doc.body } } } } : {}),
      },
      responses: this.responses(doc, family),
    };
  }

  private responses(doc: RouteDoc, family: FamilyDoc): RouteConfig['responses'] {
    const all: Record<number, ResponseDoc> = { ...doc.responses };
    const fill = (status: number, description: string) => {
      all[status] ??= { description };
    };
    if (!doc.public) fill(401, 'Missing or invalid credential');
    if (BODY_METHODS.has(doc.method)) {
      fill(400, 'Malformed request (invalid JSON, or nested too deeply)');
      fill(413, 'Request body too large');
    }
    if (!doc.public) fill(503, 'The store is unreachable');
    const out: RouteConfig['responses'] = {};
    for (const [status, r] of Object.entries(all)) {
      const schema = r.schema ?? (Number(status) >= 400 ? family.error : undefined);
      out[status] = schema
        ? { description: r.description, content: { [r.mediaType ?? 'application/json']: { schema } } }
        : { description: r.description };
    }
    return out;
  }
}

/** `get /identity/v3/roles/{role_id}` → `getIdentityV3RolesRoleId`. */
export function operationIdOf(method: Method, path: string): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
  return method + (words.join('') || 'Root');
}

function joinText(a: string | undefined, b: string): string {
  return a ? `${a}\n\n${b}` : b;
}
