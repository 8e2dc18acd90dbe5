import { JourneyInstance } from '../../common/models/journey-instance.model';
import { ProfileEvent } from '../../events/models/profile-event.model';
import { connectionTypes } from '../../common/connection-types';
import { Message, Profile } from './profile.model';

export const ProfileEventConnectionTypes = connectionTypes('ProfileEvent', () => ProfileEvent, {
  item: 'An event of the customer',
  page: "A page of a customer's events, newest first",
  total: 'Events matching the filters, on every page',
});
export const ProfileEventConnection = ProfileEventConnectionTypes.Connection;
export const ProfileEventConnectionTotalCount = ProfileEventConnectionTypes.TotalCount;

export const ProfileConnectionTypes = connectionTypes('Profile', () => Profile, {
  item: 'A profile',
  page: 'A page of profiles, in the order asked for (by userId unless told)',
  total: 'Profiles matching the query, on every page',
});
export const ProfileConnection = ProfileConnectionTypes.Connection;
export const ProfileConnectionTotalCount = ProfileConnectionTypes.TotalCount;

export const MessageConnectionTypes = connectionTypes('Message', () => Message, {
  item: 'A message sent to the customer',
  page: 'A page of messages sent to a customer, newest first',
  total: 'Messages sent to the customer, on every page',
});
export const MessageConnection = MessageConnectionTypes.Connection;
export const MessageConnectionTotalCount = MessageConnectionTypes.TotalCount;

// Named for the profile: the journeys area owns `JourneyInstanceConnection` (every customer's instances).
export const ProfileJourneyInstanceConnectionTypes = connectionTypes('ProfileJourneyInstance', () => JourneyInstance, {
  item: 'A journey instance of the customer',
  page: "A page of a customer's journey instances, newest entry first",
  total: "The customer's journey instances, on every page",
});
export const ProfileJourneyInstanceConnection = ProfileJourneyInstanceConnectionTypes.Connection;
export const ProfileJourneyInstanceConnectionTotalCount = ProfileJourneyInstanceConnectionTypes.TotalCount;
