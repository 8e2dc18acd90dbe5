import type { GatewayConfig } from '@continuum/config';

/** Twilio's standard opt-out, opt-in and help keywords (the carriers' rules). */
export const STANDARD_STOP_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
export const STANDARD_START_WORDS = ['START', 'YES', 'UNSTOP'];
export const STANDARD_HELP_WORDS = ['HELP', 'INFO'];

export interface InboundKeyword {
  kind: 'stop' | 'start' | 'help';
  /** The keyword as matched, upper case (recorded as the consent source `inbound:<word>`). */
  word: string;
}

/**
 * The keyword an inbound message is, if it is one: the whole message, ignoring case, surrounding
 * space and trailing punctuation ("Stop.", " parar "), never a word inside a sentence.
 */
export function inboundKeyword(
  body: string,
  config: Pick<GatewayConfig, 'INBOUND_STOP_WORDS' | 'INBOUND_START_WORDS' | 'INBOUND_HELP_WORDS'>,
): InboundKeyword | undefined {
  const word = body
    .trim()
    .replace(/[.!?¡¿]+$/u, '')
    .trim()
    .toUpperCase();
  if (word === '') return undefined;
  if ([...STANDARD_STOP_WORDS, ...config.INBOUND_STOP_WORDS].includes(word)) return { kind: 'stop', word };
  if ([...STANDARD_START_WORDS, ...config.INBOUND_START_WORDS].includes(word)) return { kind: 'start', word };
  if ([...STANDARD_HELP_WORDS, ...config.INBOUND_HELP_WORDS].includes(word)) return { kind: 'help', word };
  return undefined;
}
