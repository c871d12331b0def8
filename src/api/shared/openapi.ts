/**
 * OpenAPI from the same zod schemas that validate requests: families register each route's
 * schemas here as they define it; `/openapi.json` renders the document.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';

export interface RouteDoc {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head';
  /** OpenAPI path, with `{param}` placeholders. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
}

export class ApiDocs {
  private readonly registry = new OpenAPIRegistry();

  add(doc: RouteDoc): void {
    const responses: RouteConfig['responses'] = {};
    for (const [status, r] of Object.entries(doc.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { 'application/json': { schema: r.schema } } }
        : { description: r.description };
    }
    this.registry.registerPath({
      method: doc.method,
      path: doc.path,
      summary: doc.summary,
      tags: [doc.tag],
      request: {
        ...(doc.body ? { body: { content: { 'application/json': { schema: doc.body } } } } : {}),
        ...(doc.query ? { query: doc.query } : {}),
      },
      responses,
    });
  }

  document(version: string): unknown {
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 'Portcullis', version, description: 'Authorization sidecar' },
    });
  }
}
