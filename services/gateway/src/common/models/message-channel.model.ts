import { registerEnumType } from '@nestjs/graphql';

export enum MessageChannelName {
  SMS = 'sms',
  MMS = 'mms',
  WHATSAPP = 'whatsapp',
  RCS = 'rcs',
  EMAIL = 'email',
  IN_APP = 'in_app',
}
registerEnumType(MessageChannelName, { name: 'MessageChannel', description: 'A channel a message goes out on' });
