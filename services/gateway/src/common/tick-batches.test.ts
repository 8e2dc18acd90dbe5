import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TickBatches } from './tick-batches';

describe('TickBatches', () => {
  it('loads the keys asked for in one tick with one call per workspace, each key once, and answers every caller', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('w1', 'w2'), fc.string({ maxLength: 4 })), { maxLength: 30 }), async (requests) => {
        const calls: Array<{ workspaceId: string; keys: string[] }> = [];
        const batches = new TickBatches<{ workspaceId: string }, string>(async ({ workspaceId }, keys) => {
          calls.push({ workspaceId, keys });
          // Keys starting with "x" are not found.
          return keys.map((key) => (key.startsWith('x') ? null : `${workspaceId}/${key}`));
        });
        const answers = await Promise.all(requests.map(([workspaceId, key]) => batches.load({ workspaceId }, key)));
        expect(answers).toEqual(requests.map(([workspaceId, key]) => (key.startsWith('x') ? null : `${workspaceId}/${key}`)));
        for (const workspaceId of ['w1', 'w2']) {
          const asked = [...new Set(requests.filter(([w]) => w === workspaceId).map(([, key]) => key))];
          const made = calls.filter((call) => call.workspaceId === workspaceId);
          expect(made.map((call) => call.keys)).toEqual(asked.length === 0 ? [] : [asked]);
        }
      }),
    );
  });

  it('rejects every caller of a batch whose load fails, and starts a new batch afterwards', async () => {
    let fail = true;
    const batches = new TickBatches<{ workspaceId: string }, string>(async (_, keys) => {
      if (fail) throw new Error('down');
      return keys;
    });
    const results = await Promise.allSettled([batches.load({ workspaceId: 'w' }, 'a'), batches.load({ workspaceId: 'w' }, 'b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batches.load({ workspaceId: 'w' }, 'a')).toBe('a');
  });

  it('with batchOf, batches only the callers it puts together (one API key of a workspace), each with its own context', async () => {
    const calls: Array<{ keyId: string; keys: string[] }> = [];
    const batches = new TickBatches<{ workspaceId: string; keyId: string }, string>(
      async ({ keyId }, keys) => {
        calls.push({ keyId, keys });
        return keys.map((key) => `${keyId}:${key}`);
      },
      ({ workspaceId, keyId }) => `${workspaceId}/${keyId}`,
    );
    const answers = await Promise.all([
      batches.load({ workspaceId: 'w', keyId: 'admin' }, 'a'),
      batches.load({ workspaceId: 'w', keyId: 'reader' }, 'a'),
      batches.load({ workspaceId: 'w', keyId: 'admin' }, 'b'),
    ]);
    expect(answers).toEqual(['admin:a', 'reader:a', 'admin:b']);
    expect(calls).toEqual([
      { keyId: 'admin', keys: ['a', 'b'] },
      { keyId: 'reader', keys: ['a'] },
    ]);
  });
});
