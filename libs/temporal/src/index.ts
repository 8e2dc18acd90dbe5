export * from './search-attributes';
export * from './connection';
