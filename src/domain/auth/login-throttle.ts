/**
 * Failed-login throttling (rate-limiter-flexible): at most `maxFailures` failed passwords per
 * (user, source address) and `maxFailuresPerSource` per source, in a fixed window that starts at
 * the first failure. While either budget is spent, attempts are refused without checking the
 * password. A success clears the (user, source) count.
 *
 * Counters live in this process: with N replicas behind a balancer a client may get up to N times
 * the budget (README "Passwords and tokens").
 */
import type { RateLimiterMemory } from 'rate-limiter-flexible';

export interface LoginThrottleOptions {
  readonly maxFailures: number;
  readonly maxFailuresPerSource: number;
  readonly windowSeconds: number;
}

interface Limiters {
  readonly perUser: RateLimiterMemory;
  readonly perSource: RateLimiterMemory;
}

export class LoginThrottle {
  /**
   * Made at the first password attempt: the library (~40 ms of CPU to load, with its Redis,
   * MongoDB and cluster limiters) is loaded then, not at startup of a server that may never see one.
   */
  private limiters: Promise<Limiters> | undefined;

  constructor(private readonly options: LoginThrottleOptions) {}

  private counters(): Promise<Limiters> {
    return (this.limiters ??= import('rate-limiter-flexible').then(({ RateLimiterMemory }) => ({
      perUser: new RateLimiterMemory({ keyPrefix: 'login-user', points: this.options.maxFailures, duration: this.options.windowSeconds }),
      perSource: new RateLimiterMemory({
        keyPrefix: 'login-source',
        points: this.options.maxFailuresPerSource,
        duration: this.options.windowSeconds,
      }),
    })));
  }

  /** Milliseconds until another attempt is allowed; 0 when it is allowed now. */
  async retryAfterMs(userKey: string, source: string): Promise<number> {
    const { perUser, perSource } = await this.counters();
    const [user, src] = await Promise.all([perUser.get(pairKey(userKey, source)), perSource.get(source)]);
    const wait = (res: Awaited<ReturnType<RateLimiterMemory['get']>>, budget: number) =>
      res && res.consumedPoints >= budget ? Math.max(res.msBeforeNext, 1) : 0;
    return Math.max(wait(user, this.options.maxFailures), wait(src, this.options.maxFailuresPerSource));
  }

  async failed(userKey: string, source: string): Promise<void> {
    const { perUser, perSource } = await this.counters();
    await Promise.all([spend(perUser, pairKey(userKey, source)), spend(perSource, source)]);
  }

  async succeeded(userKey: string, source: string): Promise<void> {
    await (await this.counters()).perUser.delete(pairKey(userKey, source));
  }
}

const pairKey = (userKey: string, source: string) => `${userKey}\u0000${source}`;

/** Counts one failure; a spent budget rejects with the limiter's result, which is the point. */
async function spend(limiter: RateLimiterMemory, key: string): Promise<void> {
  await limiter.consume(key).catch(() => undefined);
}
