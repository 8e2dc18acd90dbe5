import { confirmationReplyFor, confirmationRequestFor, matchInboundKeyword, textForLocale, type InboundKeywordMatch, type PolicyRules } from '@continuum/domain';

export { STANDARD_HELP_WORDS, STANDARD_START_WORDS, STANDARD_STOP_WORDS } from '@continuum/domain';
export type InboundKeyword = InboundKeywordMatch;

/**
 * The keyword an inbound message is, if it is one, under the customer's policy (docs/messaging.md,
 * "Policy layers"): the carriers' standard words, then the policy's words of every language. The
 * whole message, ignoring case, surrounding space and trailing punctuation ("Stop.", " parar "),
 * never a word inside a sentence.
 */
export function inboundKeyword(body: string, rules: Pick<PolicyRules, 'keywords'>, options: { confirming?: boolean } = {}): InboundKeyword | undefined {
  return matchInboundKeyword(body, rules.keywords, options);
}

const confirmationReply = (kind: 'stop' | 'start' | 'request' | 'confirmed', rules: Pick<PolicyRules, 'confirmationReplies'>, locale: string | undefined) =>
  confirmationReplyFor(kind, rules.confirmationReplies, locale);

/** What asks a customer to confirm a double opt-in: the policy's `request` for their locale, else DEFAULT_CONFIRMATION_REQUEST. */
export function confirmationRequest(rules: Pick<PolicyRules, 'confirmationReplies'>, locale: string | undefined): string {
  return confirmationRequestFor(rules.confirmationReplies, locale);
}

/**
 * What we answer a keyword with, in the customer's locale (else the keyword's language): the
 * policy's HELP reply, or its STOP/START confirmation when it has one (else nothing: the carrier's
 * own confirmation goes out); a confirmed double opt-in: its `confirmed` reply, else the START one.
 */
export function keywordReply(keyword: InboundKeyword, rules: Pick<PolicyRules, 'helpReplies' | 'confirmationReplies'>, locale: string | undefined): string | undefined {
  const wanted = locale ?? (keyword.language && keyword.language !== 'und' ? keyword.language : undefined);
  if (keyword.kind === 'help') return textForLocale(rules.helpReplies, wanted)?.text;
  // A confirmed double opt-in is answered with `confirmed`, else the START reply.
  if (keyword.kind === 'confirm') return confirmationReply('confirmed', rules, wanted) ?? confirmationReply('start', rules, wanted);
  return confirmationReply(keyword.kind, rules, wanted);
}
