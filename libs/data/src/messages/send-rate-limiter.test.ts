import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@continuum/testing';
import { SendRateLimiter } from '../index';

describe('SendRateLimiter (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.teardown();
  });

  it('gives concurrent sends of two workers consecutive slots 1/rate apart, and none beyond the wait allowed', async () => {
    const limiters = [new SendRateLimiter(db.dataSource), new SendRateLimiter(db.dataSource)];
    const slots = await Promise.all(Array.from({ length: 6 }, (_, index) => limiters[index % 2]!.reserve('+15005550006', 1, 4_500)));
    const reserved = slots.filter((slot) => slot.reserved).map((slot) => (slot as { waitMs: number }).waitMs).sort((a, b) => a - b);
    // At 1/s: slots 0, 1, 2, 3, 4 s after the first reservation (each wait is its slot less the time its own
    // reservation ran after the first); the sixth, 5 s away, is past the 4.5 s allowed.
    expect(reserved).toHaveLength(5);
    reserved.forEach((waitMs, index) => {
      expect(waitMs).toBeLessThanOrEqual(index * 1000);
      expect(waitMs).toBeGreaterThan(index * 1000 - 400);
    });
    const refused = slots.find((slot) => !slot.reserved) as { retryAfterMs: number };
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(500);
    // Another sender has its own pace.
    expect(await limiters[0]!.reserve('+15005550007', 1, 4_500)).toEqual({ reserved: true, waitMs: 0 });
  });
});
