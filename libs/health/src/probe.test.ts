import { describe, expect, it } from 'vitest';
import { probe } from './probe';

describe('probe', () => {
  it('is up when the check answers', async () => {
    expect(await probe(() => Promise.resolve('pong'))).toBe('up');
  });

  it('is down with the reason when the check fails', async () => {
    expect(await probe(() => Promise.reject(new Error('connection refused')))).toBe('down: connection refused');
  });

  it('is down when the check does not answer in time', async () => {
    expect(await probe(() => new Promise(() => undefined), 20)).toBe('down: no answer within 20 ms');
  });
});
