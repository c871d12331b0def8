/**
 * Failed-login throttling (rate-limiter-flexible): at most `maxFailures` failed passwords per
 * (user, source address) and `maxFailuresPerSource` per source, in a fixed window that starts at
 * the first failure. While either budget is spent, attempts are refused without checking the
 * password. A success clears the (user, source) count.
 *
 * Counters live in this process: with N replicas behind a balancer a client may get up to N times
 * the budget (README "Passwords and tokens").
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface LoginThrottleOptions {
  readonly maxFailures: number;
  readonly maxFailuresPerSource: number;
  readonly windowSeconds: number;
}

export class LoginThrottle {
  private readonly perUser: RateLimiterMemory;
  private readonly perSource: RateLimiterMemory;

  constructor(private readonly options: LoginThrottleOptions) {
    this.perUser = new RateLimiterMemory({ keyPrefix: 'login-user', points: options.maxFailures, duration: options.windowSeconds });
    this.perSource = new RateLimiterMemory({
      keyPrefix: 'login-source',
      points: options.maxFailuresPerSource,
      duration: options.windowSeconds,
    });
  }

  /** Milliseconds until another attempt is allowed; 0 when it is allowed now. */
  async retryAfterMs(userKey: string, source: string): Promise<number> {
    const [user, src] = await Promise.all([this.perUser.get(pairKey(userKey, source)), this.perSource.get(source)]);
    const wait = (res: Awaited<ReturnType<RateLimiterMemory['get']>>, budget: number) =>
      res && res.consumedPoints >= budget ? Math.max(res.msBeforeNext, 1) : 0;
    return Math.max(wait(user, this.options.maxFailures), wait(src, this.options.maxFailuresPerSource));
  }

  async failed(userKey: string, source: string): Promise<void> {
    await Promise.all([spend(this.perUser, pairKey(userKey, source)), spend(this.perSource, source)]);
  }

  async succeeded(userKey: string, source: string): Promise<void> {
    await this.perUser.delete(pairKey(userKey, source));
  }
}

const pairKey = (userKey: string, source: string) => `${userKey}\u0000${source}`;

/** Counts one failure; a spent budget rejects with the limiter's result, which is the point. */
async function spend(limiter: RateLimiterMemory, key: string): Promise<void> {
  await limiter.consume(key).catch(() => undefined);
}
