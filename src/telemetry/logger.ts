/** pino logger factory; the app derives a child logger per request (with its request id). */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'portcullis' } });
}
