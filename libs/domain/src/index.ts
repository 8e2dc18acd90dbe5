export * from './phone-number';
export * from './duration';
export * from './local-time';
export * from './customer-traits';
export * from './channel-defaults';
export * from './message-facts';
export * from './quiet-hours';
export * from './calendar-schedule';
