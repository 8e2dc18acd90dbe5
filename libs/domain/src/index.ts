export * from './phone-number';
export * from './duration';
