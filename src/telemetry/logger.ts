/** pino logger factory; the app derives a child logger per request (with its request id). */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'portcullis' } });
}

/**
 * Whether a logger writes at the levels the decision path logs at, read once and again on pino's
 * `level-change` event. pino's `isLevelEnabled` reads the level through getters and a comparison
 * function, ~500 instructions a call by callgrind, and an evaluation asked it three times (its
 * access log line, the caller's permission check and the decision). The child loggers made from
 * this one (a request's) write at its level: nothing in Portcullis sets a child's level.
 */
export class LogLevels {
  info = false;
  debug = false;

  constructor(log: Logger) {
    const read = () => {
      this.info = log.isLevelEnabled('info');
      this.debug = log.isLevelEnabled('debug');
    };
    read();
    log.on('level-change', read);
  }
}
