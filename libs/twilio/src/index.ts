export { BaseUrlRequestClient, rewriteToBaseUrl } from './base-url-request-client';
export { createSmsSender, type SendMessageRequest, type SendSmsRequest, type SmsMessage, type SmsSender } from './sms-sender';
export { createTwilioClient, type TwilioClient, type TwilioClientSettings } from './twilio-client';
export {
  isPermanentTwilioError,
  toTwilioSendError,
  TwilioSendError,
  type TwilioSendErrorDetails,
} from './twilio-send-error';
export { isValidTwilioSignature, type TwilioSignatureCheck } from './twilio-signature';
