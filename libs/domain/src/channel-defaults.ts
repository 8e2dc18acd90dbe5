/** Channels a send can choose from (MMS is SMS with media). */
export const SEND_CHANNELS = ['sms', 'mms', 'whatsapp', 'rcs', 'email', 'in_app'] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

/**
 * `BR=whatsapp>sms,US=sms>rcs,*=sms>email` → the channel order per ISO country, `*` for every other
 * one. Throws naming the rule or channel that is not one.
 */
export function parseChannelDefaults(text: string): Record<string, SendChannel[]> {
  const result: Record<string, SendChannel[]> = {};
  for (const rule of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^(\*|[A-Za-z]{2})\s*=\s*(.+)$/.exec(rule);
    if (!match) throw new Error(`Invalid channel defaults "${rule}": expected <country or *>=<channel>[><channel>…], e.g. "BR=whatsapp>sms"`);
    const channels = match[2]!.split('>').map((channel) => channel.trim());
    for (const channel of channels) {
      if (!(SEND_CHANNELS as readonly string[]).includes(channel)) {
        throw new Error(`Invalid channel defaults "${rule}": "${channel}" is not a channel; use ${SEND_CHANNELS.join(', ')}`);
      }
    }
    if (new Set(channels).size !== channels.length) throw new Error(`Invalid channel defaults "${rule}": a channel is listed twice`);
    result[match[1] === '*' ? '*' : match[1]!.toUpperCase()] = channels as SendChannel[];
  }
  return result;
}

/**
 * The channels to try, in order: the step's own list (or, for `auto`, the customer's country's
 * defaults, else `*`'s, else SMS), with the customer's preferred channel moved first when it is
 * one of them.
 */
export function channelOrder(
  requested: readonly SendChannel[] | 'auto',
  customer: { country?: string; preferredChannel?: unknown },
  defaults: Record<string, readonly SendChannel[]> = {},
): SendChannel[] {
  const base = requested === 'auto' ? [...((customer.country ? defaults[customer.country.toUpperCase()] : undefined) ?? defaults['*'] ?? ['sms'])] : [...requested];
  const preferred = customer.preferredChannel;
  if (typeof preferred === 'string' && base.includes(preferred as SendChannel)) {
    return [preferred as SendChannel, ...base.filter((channel) => channel !== preferred)];
  }
  return base;
}
