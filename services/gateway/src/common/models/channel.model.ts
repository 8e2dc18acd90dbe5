import { registerEnumType } from '@nestjs/graphql';

/** The channels of the API, one enum for messages, consent and conversations; values are the stored spellings. */
export enum ChannelName {
  SMS = 'sms',
  MMS = 'mms',
  WHATSAPP = 'whatsapp',
  RCS = 'rcs',
  EMAIL = 'email',
  IN_APP = 'in_app',
}
registerEnumType(ChannelName, {
  name: 'Channel',
  description: 'A channel Continuum reaches customers on',
  valuesMap: {
    SMS: { description: 'Text message to a phone number' },
    MMS: { description: 'Multimedia message to a phone number; consent for MMS is the consent for SMS' },
    WHATSAPP: { description: 'WhatsApp message to a WhatsApp number' },
    RCS: { description: 'RCS business message to a phone number' },
    EMAIL: { description: 'Email to an email address' },
    IN_APP: { description: "Message in the customer's in-app inbox" },
  },
});
