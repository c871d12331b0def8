/**
 * The console talks to Portcullis through its public HTTP APIs only, like any other client, with
 * the signed-in user's credential as a bearer token (every family accepts it). Errors come back in
 * each family's own envelope; `messageOf` reads any of them.
 */

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Every `file:line: message` of a policy draft that does not load (Portcullis' 400). */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Statuses answered as data instead of thrown (e.g. 404 for "not there"). */
  readonly accept?: readonly number[];
}

/** Called when a request answers 401: the session is over (expired, revoked). */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function request<T = any>(token: string | undefined, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  } catch {
    throw new ApiError(0, 'Portcullis cannot be reached. Is the server running?');
  }
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (res.ok || options.accept?.includes(res.status)) return { status: res.status, body, headers: res.headers };
  if (res.status === 401 && token) onUnauthorized();
  const problems = Array.isArray(body?.error?.problems) ? (body.error.problems as string[]) : [];
  throw new ApiError(res.status, messageOf(body) ?? `${res.status} ${res.statusText}`, problems);
}

/**
 * The message of an error body in any family's envelope: Portcullis and Keystone
 * `{error: {message}}`, Manila `{<fault>: {message}}`, Traffic Ops `{alerts: [{text}]}`, route
 * locks `{data}`.
 */
export function messageOf(body: any): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? body : undefined;
  if (typeof body.error?.message === 'string') return body.error.message;
  if (Array.isArray(body.alerts)) return body.alerts.map((a: { text?: string }) => a.text).filter(Boolean).join('; ') || undefined;
  if (typeof body.data === 'string') return body.data;
  for (const value of Object.values(body)) {
    if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
  }
  return undefined;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
