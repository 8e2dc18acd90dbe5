import type { EmulatorSettings } from './twilio-emulator';
import { parseWhatsAppContentEnv } from './whatsapp-content';

type ChannelSettings = Pick<
  EmulatorSettings,
  | 'whatsappContent'
  | 'messagingServiceSid'
  | 'rcsAgent'
  | 'sendgridApiKey'
  | 'sendgridEventWebhookUrl'
  | 'sendgridEventWebhookPrivateKey'
  | 'inboundEmailWebhookUrl'
>;

/**
 * The WhatsApp, RCS and SendGrid settings from the environment (EMULATOR_WHATSAPP_CONTENT,
 * EMULATOR_MESSAGING_SERVICE_SID, EMULATOR_RCS_AGENT, EMULATOR_SENDGRID_API_KEY, EMULATOR_SENDGRID_EVENT_WEBHOOK_URL,
 * EMULATOR_SENDGRID_EVENT_WEBHOOK_PRIVATE_KEY, EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL); unset or empty means the emulator's default. Throws on bad values.
 */
export function channelSettingsFromEnv(env: NodeJS.ProcessEnv): ChannelSettings {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const whatsappContent = value('EMULATOR_WHATSAPP_CONTENT');
  const url = (name: string) => {
    const raw = value(name);
    if (raw !== undefined && (!/^https?:\/\//.test(raw) || !URL.canParse(raw))) throw new Error(`${name} must be an http(s) URL, got '${raw}'`);
    return raw;
  };
  const webhookUrl = url('EMULATOR_SENDGRID_EVENT_WEBHOOK_URL');
  return {
    whatsappContent: whatsappContent === undefined ? undefined : parseWhatsAppContentEnv(whatsappContent),
    messagingServiceSid: value('EMULATOR_MESSAGING_SERVICE_SID'),
    rcsAgent: value('EMULATOR_RCS_AGENT'),
    sendgridApiKey: value('EMULATOR_SENDGRID_API_KEY'),
    sendgridEventWebhookUrl: webhookUrl,
    sendgridEventWebhookPrivateKey: value('EMULATOR_SENDGRID_EVENT_WEBHOOK_PRIVATE_KEY'),
    inboundEmailWebhookUrl: url('EMULATOR_SENDGRID_INBOUND_WEBHOOK_URL'),
  };
}
