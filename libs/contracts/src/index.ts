export * from './task-queues';
export * from './workflow-ids';
export * from './journey-messages';
export * from './customer-event';
export * from './activities';
export * from './search-attributes';
export * from './journey-catalogue';
export * from './lookups';
