export * from './search-attributes';
export * from './connection';
export * from './tracing';
export * from './delivery-reports';
export * from './journey-entry';
export * from './payload-owner-context';
export { owned, ownerOf, payloadOwnerOf, PAYLOAD_CUSTOMER_METADATA, PAYLOAD_WORKSPACE_METADATA, type PayloadOwner } from './payload-owner';
