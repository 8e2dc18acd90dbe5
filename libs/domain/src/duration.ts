const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Parses `"1 hour"`, `"30s"`, `"1.5h"` into milliseconds; throws naming the bad input. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = match ? UNIT_MS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new Error(`Invalid duration "${text}": expected a number and a unit (ms, s, m, h, d), e.g. "1 hour"`);
  }
  return Math.round(Number(match[1]) * unit);
}

/** A frequency cap: at most `max` messages on `channel` (`*`: all together) per rolling window. */
export interface FrequencyCapRule {
  channel: string;
  max: number;
  windowMs: number;
  label: string;
}

/**
 * `sms:3/1 day, *:5/7 days` → caps (empty text: none). Each rule is `<channel or *>:<max>/<window>`;
 * throws naming the rule that is not one.
 */
export function parseFrequencyCaps(text: string, channels: readonly string[]): FrequencyCapRule[] {
  return text
    .split(',')
    .map((rule) => rule.trim())
    .filter((rule) => rule !== '')
    .map((rule) => {
      const match = /^([a-z_*]+)\s*:\s*(\d+)\s*\/\s*(.+)$/i.exec(rule);
      if (!match) throw new Error(`Invalid frequency cap "${rule}": expected <channel or *>:<max>/<window>, e.g. "sms:3/1 day"`);
      const channel = match[1]!.toLowerCase();
      if (channel !== '*' && !channels.includes(channel)) throw new Error(`Invalid frequency cap "${rule}": "${channel}" is not one of *, ${channels.join(', ')}`);
      const max = Number(match[2]);
      if (max < 1) throw new Error(`Invalid frequency cap "${rule}": the maximum must be at least 1`);
      return { channel, max, windowMs: parseDuration(match[3]!), label: `${channel}:${max}/${match[3]!.trim()}` };
    });
}
