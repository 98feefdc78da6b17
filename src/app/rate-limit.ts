/**
 * A polite limit per user on expensive work: a bucket of `burst` tokens per user that refills
 * one token every `refillSeconds`. Taking from an empty bucket says how long to wait.
 */
export interface RateLimitOptions {
  burst: number;
  refillSeconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 5, refillSeconds: 6 };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly o: RateLimitOptions = DEFAULT_RATE_LIMIT) {}

  /** 0 when `key` may go ahead now (a token is taken), else the whole seconds to wait. */
  take(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.o.burst, at: now };
    // 1. refill for the time since the last look, up to the burst size
    bucket.tokens = Math.min(this.o.burst, bucket.tokens + (now - bucket.at) / (this.o.refillSeconds * 1000));
    bucket.at = now;
    this.buckets.set(key, bucket);
    // 2. take one, or say when one will be there
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) * this.o.refillSeconds));
  }
}
