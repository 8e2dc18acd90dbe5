import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { SendGridSendError, toSendGridSendError } from './sendgrid-send-error';

export interface EmailSenderSettings {
  /** A SendGrid API key (`SG.…`) with Mail Send permission. */
  apiKey: string;
  /** Origin of a SendGrid-compatible API such as the emulator (`http://127.0.0.1:4010`); unset means https://api.sendgrid.com. */
  baseUrl?: string;
  /** Per-request timeout in milliseconds (none by default, as in @sendgrid/client). */
  timeoutMs?: number;
}

export interface EmailAddress {
  email: string;
  name?: string;
}

export interface SendEmailRequest {
  to: string | EmailAddress;
  from: EmailAddress;
  subject: string;
  /** At least one of text and html. */
  text?: string;
  html?: string;
  /** Echoed at the top level of every Event Webhook event of this email (values must be strings). */
  customArgs?: Record<string, string>;
  categories?: string[];
}

export interface SentEmail {
  /** SendGrid's X-Message-Id; event webhooks carry it as the prefix of `sg_message_id`. */
  messageId: string;
}

export interface EmailSender {
  /** Sends through SendGrid's v3 Mail Send; rejects with a SendGridSendError. */
  sendEmail(request: SendEmailRequest): Promise<SentEmail>;
}

/** The official @sendgrid/mail client; with `baseUrl` every request goes to that origin instead of api.sendgrid.com. */
export function createEmailSender(settings: EmailSenderSettings): EmailSender {
  const client = new Client();
  client.setApiKey(settings.apiKey);
  // After setApiKey, which resets the base URL to the global region.
  if (settings.baseUrl !== undefined) client.setDefaultRequest('baseUrl', new URL(settings.baseUrl).toString());
  const mail = new MailService();
  mail.setClient(client);
  if (settings.timeoutMs !== undefined) mail.setTimeout(settings.timeoutMs);

  return {
    async sendEmail({ to, from, subject, text, html, customArgs, categories }) {
      const content = [
        ...(text !== undefined ? [{ type: 'text/plain', value: text }] : []),
        ...(html !== undefined ? [{ type: 'text/html', value: html }] : []),
      ];
      let response;
      try {
        [response] = await mail.send({
          to,
          from,
          subject,
          // MailDataRequired wants text, html, content or a template; an empty list lets SendGrid name the missing field.
          content: content as [{ type: string; value: string }],
          ...(customArgs !== undefined ? { customArgs } : {}),
          ...(categories !== undefined ? { categories } : {}),
        });
      } catch (error) {
        throw toSendGridSendError(error);
      }
      const messageId = headerValue(response.headers, 'x-message-id');
      if (messageId === undefined) {
        // Accepted, so a retry would send it twice: permanent, and loud.
        throw new SendGridSendError(`SendGrid accepted the email (HTTP ${response.statusCode}) but sent no X-Message-Id header`, {
          status: response.statusCode,
          errors: [],
          permanent: true,
        });
      }
      return { messageId };
    },
  };
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (typeof value === 'string' && value !== '') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
