export {
  AllowedNetworksError,
  PUBLIC_ONLY,
  classifyAddress,
  egressPolicy,
  parseAllowedNetworks,
  refusalOf,
  type AddressKind,
  type AllowedNetwork,
  type EgressPolicy,
} from './address-policy';
export { EgressError, type EgressErrorKind } from './egress-error';
export { MAX_URL_LENGTH, checkEgressUrl, redactedUrl } from './egress-url';
export {
  EGRESS_METHODS,
  checkEgressRequest,
  egressRequest,
  guardedLookup,
  type EgressMethod,
  type EgressRequest,
  type EgressResponse,
} from './egress-request';
