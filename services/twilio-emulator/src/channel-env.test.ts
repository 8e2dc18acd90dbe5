import { describe, expect, it } from 'vitest';
import { channelSettingsFromEnv } from './channel-env';

describe('channelSettingsFromEnv', () => {
  it('leaves everything to the defaults when nothing (or only blanks) is set', () => {
    expect(channelSettingsFromEnv({ EMULATOR_RCS_AGENT: '  ' })).toEqual({
      whatsappContent: undefined,
      messagingServiceSid: undefined,
      rcsAgent: undefined,
      sendgridApiKey: undefined,
      sendgridEventWebhookUrl: undefined,
      sendgridEventWebhookPrivateKey: undefined,
      inboundEmailWebhookUrl: undefined,
    });
  });

  it('reads every variable', () => {
    const sid = `HX${'a'.repeat(32)}`;
    expect(
      channelSettingsFromEnv({
        EMULATOR_WHATSAPP_CONTENT: JSON.stringify({ [sid]: 'Hi {{1}}' }),
        EMULATOR_MESSAGING_SERVICE_SID: `MG${'1'.repeat(32)}`,
        EMULATOR_RCS_AGENT: 'acme_agent',
        EMULATOR_SENDGRID_API_KEY: 'SG.local',
        EMULATOR_SENDGRID_EVENT_WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/sendgrid',
        EMULATOR_SENDGRID_EVENT_WEBHOOK_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\n...',
        EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL: 'http://127.0.0.1:3000/webhooks/sendgrid/inbound?token=t',
      }),
    ).toEqual({
      whatsappContent: { [sid]: 'Hi {{1}}' },
      messagingServiceSid: `MG${'1'.repeat(32)}`,
      rcsAgent: 'acme_agent',
      sendgridApiKey: 'SG.local',
      sendgridEventWebhookUrl: 'http://127.0.0.1:3000/webhooks/sendgrid',
      sendgridEventWebhookPrivateKey: '-----BEGIN PRIVATE KEY-----\\n...',
      inboundEmailWebhookUrl: 'http://127.0.0.1:3000/webhooks/sendgrid/inbound?token=t',
    });
  });

  it.each([
    ['{"HX1": "x"}', /not a Content SID/],
    ['{not json', /not valid JSON/],
    ['["x"]', /JSON object/],
    [`{"HX${'a'.repeat(32)}": ""}`, /non-empty string/],
  ])('refuses EMULATOR_WHATSAPP_CONTENT=%s', (raw, message) => {
    expect(() => channelSettingsFromEnv({ EMULATOR_WHATSAPP_CONTENT: raw })).toThrow(message);
  });

  it('refuses an event webhook URL that is not http(s)', () => {
    expect(() => channelSettingsFromEnv({ EMULATOR_SENDGRID_EVENT_WEBHOOK_URL: 'ftp://x' })).toThrow(/EMULATOR_SENDGRID_EVENT_WEBHOOK_URL/);
    expect(() => channelSettingsFromEnv({ EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL: 'not a url' })).toThrow(/EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL/);
  });
});
