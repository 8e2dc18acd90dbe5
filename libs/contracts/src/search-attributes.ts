import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Search attributes every journey keeps current; registered on the server as Keyword. */
export const JOURNEY_SEARCH_ATTRIBUTES = ['CustomerId', 'JourneyId', 'InstanceKey', 'JourneyStep', 'JourneyStatus'] as const;
export type JourneySearchAttribute = (typeof JOURNEY_SEARCH_ATTRIBUTES)[number];

export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const JourneyIdKey = defineSearchAttributeKey('JourneyId', SearchAttributeType.KEYWORD);
export const InstanceKeyKey = defineSearchAttributeKey('InstanceKey', SearchAttributeType.KEYWORD);
export const JourneyStepKey = defineSearchAttributeKey('JourneyStep', SearchAttributeType.KEYWORD);
export const JourneyStatusKey = defineSearchAttributeKey('JourneyStatus', SearchAttributeType.KEYWORD);

/** Set by Temporal on a workflow a Schedule started: the occurrence it was started for. */
export const TemporalScheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
