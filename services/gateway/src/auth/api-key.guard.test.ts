import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { describe, expect, it } from 'vitest';
import type { ApiKeyPrincipal } from '@continuum/data';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { MissingScopeException, RequiresScope } from './requires-scope';

class Resolver {
  @RequiresScope('operate')
  declared(): void {}
  undeclared(): void {}
}

function guardFor(scopes: string[]): ApiKeyGuard {
  const principal: ApiKeyPrincipal = { workspaceId: 'w', workspaceSlug: 'w', keyId: 'k', scopes };
  return new ApiKeyGuard({ authenticate: async () => principal } as unknown as ApiKeyAuthenticator, new Reflector());
}

function graphqlCall(handler: () => void, fieldName: string): ExecutionContextHost {
  const info = { parentType: { name: 'Mutation' }, fieldName };
  const host = new ExecutionContextHost([{}, {}, { req: { headers: { 'x-api-key': 'k' } } }, info], Resolver, handler);
  host.setType('graphql');
  return host;
}

describe('ApiKeyGuard scopes', () => {
  it('allows a key holding the declared scope or *, and refuses any other with FORBIDDEN naming it', async () => {
    const call = graphqlCall(Resolver.prototype.declared, 'declared');
    await expect(guardFor(['operate']).canActivate(call)).resolves.toBe(true);
    await expect(guardFor(['*']).canActivate(call)).resolves.toBe(true);
    const refusal = guardFor(['read', 'track']).canActivate(call);
    await expect(refusal).rejects.toBeInstanceOf(MissingScopeException);
    await expect(refusal).rejects.toMatchObject({ code: 'FORBIDDEN', requiredScope: 'operate', message: 'Mutation.declared requires the "operate" scope, which this API key does not hold' });
  });

  it('refuses a root field that declares no scope, even to a * key (fail closed)', async () => {
    await expect(guardFor(['*']).canActivate(graphqlCall(Resolver.prototype.undeclared, 'undeclared'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      requiredScope: null,
      message: 'Mutation.undeclared declares no required scope, so no API key may use it',
    });
  });
});
