import { GatewayException } from '../common/gateway-exception';

/**
 * Global ids: what `Node.id` holds and what `node(id:)` and every argument naming an entity take.
 * Opaque to clients (base64url of `<TypeName>:<local id>`, where the local id is the entity's key in
 * its workspace: a workflow id, a userId, a UUID…); only this gateway makes or reads them.
 */
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** The global id of the entity of GraphQL type `typeName` whose key in its workspace is `localId`. */
export function toGlobalId(typeName: string, localId: string): string {
  if (!TYPE_NAME.test(typeName)) throw new Error(`not a GraphQL type name: ${typeName}`);
  return Buffer.from(`${typeName}:${localId}`, 'utf8').toString('base64url');
}

/** The type name and local id inside a global id, or undefined when `id` is not one this gateway made. */
export function parseGlobalId(id: string): { typeName: string; localId: string } | undefined {
  if (id === '' || !/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // Round-trips only for canonical base64url of valid UTF-8: a tampered id is refused, never misread.
  if (Buffer.from(text, 'utf8').toString('base64url') !== id) return undefined;
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;
  const typeName = text.slice(0, colon);
  const localId = text.slice(colon + 1);
  if (!TYPE_NAME.test(typeName) || localId === '') return undefined;
  return { typeName, localId };
}

/**
 * The local id inside `id`, a global id of one of `typeNames` (an argument or input field naming
 * that kind of entity); anything else is BAD_USER_INPUT naming `field`, e.g. `input.broadcastId`.
 */
export function localIdOf(id: string, typeNames: string | readonly string[], field: string): string {
  const expected = typeof typeNames === 'string' ? [typeNames] : typeNames;
  const parsed = parseGlobalId(id);
  if (!parsed) throw GatewayException.badInput(field, `"${id}" is not an id this API handed out`);
  if (!expected.includes(parsed.typeName)) {
    throw GatewayException.badInput(field, `"${id}" is the id of a ${parsed.typeName}, not of a ${expected.join(' or ')}`);
  }
  return parsed.localId;
}
