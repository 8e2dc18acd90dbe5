export { jsonLineLogger, silentLogger, type EmulatorLogger, type EmulatorLogLevel } from './emulator-logger';
export type { CallbackDelivery, EmulatedMessage, EmulatedMessageStatus, StatusChange } from './message-store';
export { computeTwilioSignature } from './webhook-signature';
export { createTwilioEmulator, type EmulatorOptions, type EmulatorSettings, type TwilioEmulator } from './twilio-emulator';
