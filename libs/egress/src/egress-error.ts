/**
 * Why an outbound call did not get a response:
 * - `invalid-url`, `invalid-request`: the call itself is wrong (never worth retrying);
 * - `refused`: the host is, or resolves to, an address outbound calls may not reach;
 * - `response-too-large`: the response was bigger than the cap;
 * - `timeout`, `network`: the call could not complete this time (worth retrying).
 */
export type EgressErrorKind = 'invalid-url' | 'invalid-request' | 'refused' | 'response-too-large' | 'timeout' | 'network';

export class EgressError extends Error {
  constructor(
    readonly kind: EgressErrorKind,
    message: string,
    /** For `refused`: the address and the kind of range it is in. */
    readonly refusal?: { address: string; range: string; host: string },
  ) {
    super(message);
    this.name = 'EgressError';
  }

  /** Whether trying again later can succeed. */
  get transient(): boolean {
    return this.kind === 'timeout' || this.kind === 'network';
  }
}
