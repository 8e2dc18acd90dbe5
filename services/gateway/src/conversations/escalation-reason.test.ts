import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EscalationReasonName, escalationReasonOf } from './conversation.models';

describe('escalationReasonOf', () => {
  it('reads each stored reason as the enum, a keyword reason with its keyword, and nothing else', () => {
    expect(escalationReasonOf('asked-for-person')).toEqual({ reason: EscalationReasonName.ASKED_FOR_PERSON, keyword: null });
    expect(escalationReasonOf('not-understood-twice')).toEqual({ reason: EscalationReasonName.NOT_UNDERSTOOD_TWICE, keyword: null });
    expect(escalationReasonOf('vip')).toEqual({ reason: EscalationReasonName.VIP, keyword: null });
    expect(escalationReasonOf('upset')).toEqual({ reason: EscalationReasonName.UPSET, keyword: null });
    expect(escalationReasonOf(null)).toBeNull();
    // "keyword" alone is not a stored reason: a keyword reason always names its word.
    expect(escalationReasonOf('keyword')).toBeNull();
    fc.assert(
      fc.property(fc.string(), (word) => {
        expect(escalationReasonOf(`keyword:${word}`)).toEqual({ reason: EscalationReasonName.KEYWORD, keyword: word });
      }),
    );
    fc.assert(
      fc.property(
        fc.string().filter((text) => !text.startsWith('keyword:') && !['asked-for-person', 'not-understood-twice', 'vip', 'upset'].includes(text)),
        (text) => {
          expect(escalationReasonOf(text)).toBeNull();
        },
      ),
    );
  });
});
