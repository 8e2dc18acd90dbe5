import { describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal, ProfileEntity } from '@continuum/data';
import { ProfilesService } from './profiles.service';

/** A store that fails the test when anything reads it. */
function untouchable(name: string): never {
  return new Proxy({}, { get: (_, property) => { throw new Error(`${name}.${String(property)} was read`); } }) as never;
}

describe('searchProfiles and profile', () => {
  it('read only the profiles table: messages, journey instances, events and journal are left to the fields that select them', async () => {
    const row: ProfileEntity = {
      workspaceId: 'w',
      userId: 'ana',
      traits: {},
      phone: null,
      email: 'ana@example.com',
      timezone: null,
      locale: null,
      country: null,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-02T00:00:00Z'),
    };
    const profiles = {
      search: async () => ({ profiles: [{ ...row, position: { userId: 'ana' } }] }),
      countSearch: async () => 1,
      get: async () => row,
    };
    const service = new ProfilesService(
      profiles as never,
      untouchable('events'),
      untouchable('journal'),
      untouchable('instances'),
      untouchable('messages'),
      untouchable('erasures'),
      untouchable('merges'),
      untouchable('temporal'),
      untouchable('metrics'),
      untouchable('encryption'),
      untouchable('doubleOptIn'),
    );
    const principal = { workspaceId: 'w' } as ApiKeyPrincipal;
    const page = await service.search(principal, { emailPrefix: 'ana' }, null, { first: 10 });
    expect(page.nodes).toEqual([expect.objectContaining({ userId: 'ana', email: 'ana@example.com' })]);
    expect(page.nodes[0]).not.toHaveProperty('messages');
    expect(page.nodes[0]).not.toHaveProperty('journeyInstances');
    expect(await service.get(principal, 'ana')).toMatchObject({ userId: 'ana' });
  });
});
