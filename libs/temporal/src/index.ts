export * from './search-attributes';
export * from './connection';
export * from './tracing';
export * from './delivery-reports';
export * from './journey-entry';
