export * from './task-queues';
export * from './workflow-ids';
export * from './journey-messages';
export * from './customer-event';
export * from './journey-routes';
export * from './activities';
export * from './search-attributes';
