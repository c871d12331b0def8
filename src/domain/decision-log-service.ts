/**
 * Reading the decision log (GET /v1/decisions): pages of recorded decisions, newest first, with
 * opaque page tokens. Replaying them against a draft is impact-service.ts.
 */
import { decodeCursor, encodeCursor, InvalidCursorError } from '../store/cursor.js';
import { isDecisionId } from '../store/decision-id.js';
import type { DecisionLogStore, DecisionQuery, DecisionRecord } from '../store/decision-log-store.js';
import { badRequest } from '../errors.js';

const TOKEN_KIND = 'decisions';

export class DecisionLogService {
  constructor(private readonly store: DecisionLogStore) {}

  get capacity(): number {
    return this.store.capacity;
  }

  async list(q: DecisionQuery, limit: number, pageToken?: string): Promise<{ decisions: DecisionRecord[]; nextToken: string | null }> {
    const after = pageToken === undefined ? undefined : afterOf(pageToken);
    const page = await this.store.query(q, { limit, ...(after ? { after } : {}) });
    return { decisions: page.items, nextToken: page.next ? encodeCursor([TOKEN_KIND, page.next]) : null };
  }
}

function afterOf(token: string): string {
  try {
    const [kind, id] = decodeCursor(token);
    if (kind === TOKEN_KIND && isDecisionId(id)) return id;
  } catch (err) {
    if (!(err instanceof InvalidCursorError)) throw err;
  }
  throw badRequest('page_token is not valid (pass the next_token of the previous page)');
}
