/** A running Portcullis server, as the CLI reaches it: base URL and admin token from flags or the environment. */
import { UsageError, str, type CliIo, type ParsedArgs } from './verb.js';

export const SERVER_OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
} as const;

export const SERVER_HELP = `  --server URL   the server (default: $PORTCULLIS_URL)
  --token TOKEN  a bearer token for it (default: $PORTCULLIS_TOKEN); never printed`;

export class ServerError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export interface ServerClient {
  readonly url: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function serverClient(args: ParsedArgs, io: CliIo): ServerClient {
  const url = (str(args, 'server') ?? io.env.PORTCULLIS_URL)?.replace(/\/+$/, '');
  const token = str(args, 'token') ?? io.env.PORTCULLIS_TOKEN;
  if (!url) throw new UsageError('name the server with --server URL (or PORTCULLIS_URL)');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--server takes an http(s) URL, got "${url}"`);
  if (!token) throw new UsageError('give a token with --token (or PORTCULLIS_TOKEN)');
  return {
    url,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await fetch(`${url}${path}`, {
          method,
          headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (err) {
        throw new ServerError(`cannot reach ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`, 0, undefined);
      }
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      if (!res.ok) {
        const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? text;
        throw new ServerError(`${method} ${path}: ${res.status} ${message}`, res.status, parsed);
      }
      return parsed as T;
    },
  };
}
