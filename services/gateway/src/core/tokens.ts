/** Injection tokens for the gateway's infrastructure providers. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
