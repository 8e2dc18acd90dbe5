export { BaseUrlRequestClient, rewriteToBaseUrl } from './base-url-request-client';
export {
  createEmailSender,
  type EmailAddress,
  type EmailSender,
  type EmailSenderSettings,
  type SendEmailRequest,
  type SentEmail,
} from './email-sender';
export { createMessageSender, type MessageSender, type SendMessageRequest, type TwilioMessage } from './message-sender';
export { isValidSendGridEventSignature, type SendGridEventSignatureCheck } from './sendgrid-event-signature';
export {
  isPermanentSendGridStatus,
  SendGridSendError,
  toSendGridSendError,
  type SendGridErrorDetail,
  type SendGridSendErrorDetails,
} from './sendgrid-send-error';
export { createSmsSender, type SendSmsRequest, type SmsMessage, type SmsSender } from './sms-sender';
export { createTwilioClient, type TwilioClient, type TwilioClientSettings } from './twilio-client';
export {
  isPermanentTwilioError,
  toTwilioSendError,
  TwilioSendError,
  type TwilioSendErrorDetails,
} from './twilio-send-error';
export { isValidTwilioSignature, type TwilioSignatureCheck } from './twilio-signature';
