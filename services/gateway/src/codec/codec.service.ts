import { Inject, Injectable } from '@nestjs/common';
import type { Payload } from '@temporalio/common';
import {
  DataKeyDestroyedError,
  DecryptionError,
  ENCRYPTED_ENCODING,
  PAYLOAD_CUSTOMER_METADATA,
  PAYLOAD_WORKSPACE_METADATA,
  WORKSPACE_ID_METADATA,
  type ApiKeyPrincipal,
} from '@continuum/data';
import { GatewayErrorCode, GatewayException } from '../common/gateway-exception';
import { PAYLOAD_CODEC, type PayloadCodecHolder } from '../core/tokens';

/** A payload as the codec-server protocol carries it: protobuf JSON (metadata values and data in base64). */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** The most payloads one request may carry (the Web UI sends one event's worth at a time). */
export const MAX_CODEC_PAYLOADS = 1000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What a decode did with each payload it was given, reported in the response headers. */
export interface CodecOutcome {
  payloads: JsonPayload[];
  /** Encrypted payloads of another workspace, handed back still encrypted. */
  refused: number;
  /** Payloads of an erased customer (their data key is destroyed), replaced by a note saying so. */
  erased: number;
  /** Payloads whose ciphertext does not authenticate, handed back still encrypted. */
  undecryptable: number;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** The note an erased customer's payload decodes to in the Web UI. */
export const ERASED_NOTE = '[erased: this customer was deleted and their data key destroyed]';

/**
 * The codec server behind `/codec/encode` and `/codec/decode` (Temporal's remote codec protocol,
 * for the Web UI and `temporal --codec-endpoint`): the gateway's payload codec, limited to the
 * caller's workspace.
 */
@Injectable()
export class CodecService {
  constructor(@Inject(PAYLOAD_CODEC) private readonly encryption: PayloadCodecHolder) {}

  async decode(principal: ApiKeyPrincipal, body: unknown): Promise<CodecOutcome> {
    const codec = this.codecOrRefuse();
    const outcome: CodecOutcome = { payloads: [], refused: 0, erased: 0, undecryptable: 0 };
    for (const payload of parsePayloads(body)) {
      const metadata = payload.metadata ?? {};
      if (!metadata['encoding'] || text.decode(metadata['encoding']) !== ENCRYPTED_ENCODING) {
        outcome.payloads.push(toJson(payload));
        continue;
      }
      const workspace = metadata[WORKSPACE_ID_METADATA] ? text.decode(metadata[WORKSPACE_ID_METADATA]) : undefined;
      if (workspace !== principal.workspaceId) {
        outcome.refused++;
        outcome.payloads.push(toJson(payload));
        continue;
      }
      try {
        const [decoded] = await codec.decode([payload]);
        outcome.payloads.push(toJson(decoded!));
      } catch (error) {
        if (error instanceof DataKeyDestroyedError) {
          outcome.erased++;
          outcome.payloads.push(toJson({ metadata: { encoding: utf8.encode('json/plain') }, data: utf8.encode(JSON.stringify(ERASED_NOTE)) }));
        } else if (error instanceof DecryptionError) {
          outcome.undecryptable++;
          outcome.payloads.push(toJson(payload));
        } else throw error;
      }
    }
    return outcome;
  }

  /** Encrypts under the caller's workspace key (what an operator sends from the Web UI: a signal's input, a reset reason). */
  async encode(principal: ApiKeyPrincipal, body: unknown): Promise<JsonPayload[]> {
    const codec = this.codecOrRefuse();
    const owned = parsePayloads(body).map((payload) => {
      const metadata = { ...payload.metadata };
      delete metadata[PAYLOAD_CUSTOMER_METADATA];
      metadata[PAYLOAD_WORKSPACE_METADATA] = utf8.encode(principal.workspaceId);
      return { ...payload, metadata };
    });
    return (await codec.encode(owned)).map(toJson);
  }

  private codecOrRefuse() {
    const { codec } = this.encryption;
    if (!codec) throw new GatewayException(GatewayErrorCode.NotFound, 'Payload encryption is off on this gateway (CONTINUUM_ROOT_KEY is not set): there is nothing to encode or decode');
    return codec;
  }
}

/** Validates the protocol's body `{ payloads: [{ metadata: { name: base64 }, data: base64 }] }`, naming the first bad field. */
export function parsePayloads(body: unknown): Payload[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw GatewayException.badInput('body', 'must be a JSON object { "payloads": [...] }');
  const payloads = (body as Record<string, unknown>)['payloads'];
  if (payloads === undefined || payloads === null) return [];
  if (!Array.isArray(payloads)) throw GatewayException.badInput('payloads', 'must be an array of payloads');
  if (payloads.length > MAX_CODEC_PAYLOADS) throw GatewayException.badInput('payloads', `at most ${MAX_CODEC_PAYLOADS} payloads per request (got ${payloads.length})`);
  return payloads.map((payload: unknown, index) => {
    const at = `payloads.${index}`;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw GatewayException.badInput(at, 'must be an object { metadata, data }');
    const { metadata, data } = payload as Record<string, unknown>;
    if (data !== undefined && data !== null && (typeof data !== 'string' || !BASE64.test(data))) throw GatewayException.badInput(`${at}.data`, 'must be a base64 string');
    if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
      throw GatewayException.badInput(`${at}.metadata`, 'must be an object of base64 strings');
    }
    const entries = Object.entries((metadata ?? {}) as Record<string, unknown>).map(([name, value]): [string, Uint8Array] => {
      if (typeof value !== 'string' || !BASE64.test(value)) throw GatewayException.badInput(`${at}.metadata.${name}`, 'must be a base64 string');
      return [name, new Uint8Array(Buffer.from(value, 'base64'))];
    });
    // fromEntries defines own properties: a metadata name such as __proto__ stays a name.
    return { metadata: Object.fromEntries(entries), data: new Uint8Array(Buffer.from(typeof data === 'string' ? data : '', 'base64')) };
  });
}

function toJson(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value ?? []).toString('base64')]));
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}
