import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN, emulatorConfigSchema, loadConfig } from '@continuum/config';
import { channelSettingsFromEnv } from './channel-env';
import { jsonLineLogger } from './emulator-logger';
import { createTwilioEmulator } from './twilio-emulator';

async function main(): Promise<void> {
  const config = loadConfig('twilio-emulator', emulatorConfigSchema, {
    ...process.env,
    TWILIO_ACCOUNT_SID: process.env['TWILIO_ACCOUNT_SID'] || EMULATOR_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: process.env['TWILIO_AUTH_TOKEN'] || EMULATOR_AUTH_TOKEN,
  });
  const emulator = createTwilioEmulator({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    inboundWebhookUrl: config.EMULATOR_INBOUND_WEBHOOK_URL,
    statusDelayMs: config.EMULATOR_STATUS_DELAY_MS,
    ...channelSettingsFromEnv(process.env),
  });
  const { url } = await emulator.listen(config.EMULATOR_PORT, config.EMULATOR_HOST);
  jsonLineLogger('info', 'twilio emulator listening', {
    url,
    accountSid: config.TWILIO_ACCOUNT_SID,
    inboundWebhookUrl: config.EMULATOR_INBOUND_WEBHOOK_URL ?? null,
    statusDelayMs: config.EMULATOR_STATUS_DELAY_MS,
    messagingService: emulator.messagingService,
    sendgridEventWebhookUrl: process.env['EMULATOR_SENDGRID_EVENT_WEBHOOK_URL'] || null,
    sendgridEventWebhookPublicKey: emulator.sendgridEventWebhookPublicKey,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    emulator.close().then(
      () => {
        jsonLineLogger('info', 'twilio emulator stopped', { signal });
        process.exit(0);
      },
      (error: unknown) => {
        jsonLineLogger('error', 'twilio emulator failed to stop cleanly', { signal, error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  jsonLineLogger('error', 'twilio emulator failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
