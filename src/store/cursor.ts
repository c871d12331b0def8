/** Opaque pagination cursors: base64url JSON arrays of strings. Invalid input decodes to []. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) {
      return parsed as [string, string];
    }
  } catch {
    // fall through: an invalid cursor is reported by the caller's validation
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid page token');
    this.name = 'InvalidCursorError';
  }
}
