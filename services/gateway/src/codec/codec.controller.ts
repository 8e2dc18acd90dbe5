import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { holdsScope } from '@continuum/data';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { MissingScopeException, RequiresScope } from '../auth/requires-scope';
import { principalOf, type AuthenticatedRequest } from '../auth/workspace-context';
import { CodecService, type CodecOutcome, type JsonPayload } from './codec.service';

/**
 * Temporal's remote codec protocol on the gateway, for the Web UI (its codec endpoint) and the CLI
 * (`temporal workflow show --codec-endpoint`): `POST /codec/decode` and `POST /codec/encode` with
 * an API key holding the `operate` scope in `x-api-key` or `Authorization: Bearer`; or, for the Web
 * UI, which can only be given a URL, the key as the path's first segment:
 * `POST /codec/<key>/decode`. Only the key's workspace's payloads are decoded.
 */
@Controller('codec')
export class CodecController {
  constructor(
    private readonly codec: CodecService,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  @Post('decode')
  @HttpCode(200)
  @RequiresScope('operate')
  async decode(@Req() request: AuthenticatedRequest, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<{ payloads: JsonPayload[] }> {
    return report(response, await this.codec.decode(principalOf(request), body));
  }

  @Post('encode')
  @HttpCode(200)
  @RequiresScope('operate')
  async encode(@Req() request: AuthenticatedRequest, @Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return { payloads: await this.codec.encode(principalOf(request), body) };
  }

  @Post(':key/decode')
  @HttpCode(200)
  async decodeWithKeyInPath(@Param('key') key: string, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<{ payloads: JsonPayload[] }> {
    return report(response, await this.codec.decode(await this.operator(key, 'POST /codec/:key/decode'), body));
  }

  @Post(':key/encode')
  @HttpCode(200)
  async encodeWithKeyInPath(@Param('key') key: string, @Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return { payloads: await this.codec.encode(await this.operator(key, 'POST /codec/:key/encode'), body) };
  }

  private async operator(key: string, route: string) {
    const principal = await this.authenticator.authenticate(key, 'Missing API key');
    if (!holdsScope(principal.scopes, 'operate')) throw new MissingScopeException('operate', route);
    return principal;
  }
}

/** The payloads, with what was not decoded counted in headers (the protocol's body has no room for it). */
function report(response: Response, outcome: CodecOutcome): { payloads: JsonPayload[] } {
  response.setHeader('x-continuum-refused', String(outcome.refused));
  response.setHeader('x-continuum-erased', String(outcome.erased));
  response.setHeader('x-continuum-undecryptable', String(outcome.undecryptable));
  return { payloads: outcome.payloads };
}
