/**
 * zod at the edge: parse a body or query with a schema, or throw a 400 AppError whose message says
 * which field is wrong and why. Families may wrap the message in their own wording.
 */
import type { z } from 'zod';
import { badRequest } from '../../errors.js';

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const where = i.path.length ? `'${i.path.join('.')}'` : 'body';
      return `Invalid input for field ${where}: ${i.message}`;
    })
    .join('; ');
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, wrap?: (msg: string) => string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const message = formatIssues(result.error);
    throw badRequest(wrap ? wrap(message) : message);
  }
  return result.data;
}
