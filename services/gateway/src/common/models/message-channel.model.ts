import { registerEnumType } from '@nestjs/graphql';

export enum MessageChannelName {
  SMS = 'sms',
  MMS = 'mms',
  WHATSAPP = 'whatsapp',
  RCS = 'rcs',
  EMAIL = 'email',
  IN_APP = 'in_app',
}
registerEnumType(MessageChannelName, {
  name: 'MessageChannel',
  description: 'A channel a message goes out on',
  valuesMap: {
    SMS: { description: 'Text message to a phone number' },
    MMS: { description: 'Multimedia message to a phone number' },
    WHATSAPP: { description: 'WhatsApp message to a WhatsApp number' },
    RCS: { description: 'RCS business message to a phone number' },
    EMAIL: { description: 'Email to an email address' },
    IN_APP: { description: "Message in the customer's in-app inbox" },
  },
});
