import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, workerConfigSchema } from '@continuum/config';
import { abandonedCart } from '@continuum/journeys';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import { createJourneyWorker } from './journey-worker';
import { withEnv } from './test-support/with-env';
import { notOnOrOff, UNREACHABLE_WORKER_ENV } from './test-support/worker-settings';

const base = UNREACHABLE_WORKER_ENV;

/** Runs `fn` with WORKFLOW_STACK_TRACES set to `value` (unset: undefined), restoring it after. */
const withSetting = <T>(value: string | undefined, fn: () => Promise<T>): Promise<T> => withEnv('WORKFLOW_STACK_TRACES', value, fn);

// The SDK keeps a stack for every promise workflow code makes, for the stack-trace query alone (the
// Web UI's Stack Trace tab); patched to do so only with WORKFLOW_STACK_TRACES=on. A real worker on
// time-skipping Temporal, a cart waiting on its idle timer, asked for its stack.
describe('workflow stack traces (WORKFLOW_STACK_TRACES)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  /** The `__stack_trace` answer of a cart waiting for its idle timer, under a worker started with `value`. */
  const stackOfWaitingCart = (value: string | undefined, customer: string) =>
    withSetting(value, () =>
      kit.run(async () => {
        const cart = await kit.enter(abandonedCart, customer, 'Cart Updated', { cart_id: `cart-${customer}`, items: [{ name: 'Hat' }] });
        const deadline = Date.now() + 30_000;
        while (!(await cart.path()).includes('wait.started')) {
          if (Date.now() > deadline) throw new Error('the cart did not start waiting within 30 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return cart.handle.query<string>('__stack_trace');
      }),
    );

  it('answers the stack-trace query with where the journey waits only when on', async () => {
    const on = await stackOfWaitingCart('on', 'stack-on');
    expect(on).toMatch(/holdUntilIdle/);
    expect(on).toMatch(/abandoned-cart\.ts/);
  });

  it('keeps no stacks by default: the query answers empty, and the journey runs as it does', async () => {
    expect(await stackOfWaitingCart(undefined, 'stack-default')).toBe('');
    expect(await stackOfWaitingCart('off', 'stack-off')).toBe('');
  });

  it('is off by default in the worker configuration, and takes only on or off', () => {
    expect(loadConfig('worker', workerConfigSchema, base).WORKFLOW_STACK_TRACES).toBe('off');
    expect(loadConfig('worker', workerConfigSchema, { ...base, WORKFLOW_STACK_TRACES: 'on' }).WORKFLOW_STACK_TRACES).toBe('on');
    expect(() => loadConfig('worker', workerConfigSchema, { ...base, WORKFLOW_STACK_TRACES: 'yes' })).toThrow(/WORKFLOW_STACK_TRACES: Invalid enum value\. Expected 'on' \| 'off', received 'yes'/);
  });

  it('refuses every other value, hostile ones included (NUL bytes, lone surrogates, 100 kB), naming the variable', () => {
    fc.assert(
      fc.property(notOnOrOff(['ON', 'Off', ' on', 'on\u0000', '1', 'true']), (value) => {
        expect(() => loadConfig('worker', workerConfigSchema, { ...base, WORKFLOW_STACK_TRACES: value })).toThrow(/WORKFLOW_STACK_TRACES: Invalid enum value/);
      }),
    );
  });

  it('hands the configured value to the workflow threads the worker starts', async () => {
    await withSetting(undefined, async () => {
      const config = loadConfig('worker', workerConfigSchema, { ...base, WORKFLOW_STACK_TRACES: 'on' });
      // PostgreSQL is unreachable: the worker stops there, after setting what its threads will read.
      await expect(createJourneyWorker(config)).rejects.toThrow(/Cannot connect to PostgreSQL/);
      expect(process.env['WORKFLOW_STACK_TRACES']).toBe('on');
    });
  });
});
