import { registerEnumType } from '@nestjs/graphql';

/** The calls of the Segment tracking API spec; values are the stored spellings (the `type` of an event). */
export enum TrackingCall {
  TRACK = 'track',
  IDENTIFY = 'identify',
  PAGE = 'page',
  SCREEN = 'screen',
  GROUP = 'group',
  ALIAS = 'alias',
}
registerEnumType(TrackingCall, {
  name: 'TrackingCall',
  description: 'The calls of the Segment tracking API spec: what kind of event a customer sent',
  valuesMap: {
    TRACK: { description: 'An event the customer did (needs event)' },
    IDENTIFY: { description: "The customer's traits (traits)" },
    PAGE: { description: 'A page view (name, category, properties)' },
    SCREEN: { description: 'A mobile screen view (name, category, properties)' },
    GROUP: { description: 'The customer joins a group (needs groupId; traits)' },
    ALIAS: { description: 'Two identities of one customer (needs userId and previousId)' },
  },
});
