import { inputField, refuse } from '../core/errors.ts';

// Opaque global IDs: base64url of "Type:uuid". Decoding checks the shape fully, so a
// forged or truncated id is refused here and never reaches the database.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeGlobalID(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64url');
}

/** The type name and database id of a global id; null when it is not one. */
export function parseGlobalID(globalId: string): { typename: string; id: string } | null {
  if (typeof globalId !== 'string' || !/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return null;
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return null;
  const typename = text.slice(0, colon);
  const id = text.slice(colon + 1);
  return /^[A-Za-z]+$/.test(typename) && UUID.test(id) ? { typename, id: id.toLowerCase() } : null;
}

/** For `node(id:)` and relay arguments: a malformed id is a client error. */
export function decodeGlobalID(globalId: string): { typename: string; id: string } {
  const decoded = parseGlobalID(globalId);
  if (!decoded) {
    refuse('INVALID_INPUT', `"${String(globalId).slice(0, 60)}" is not a valid id; use an id returned by this API.`);
  }
  return decoded;
}

/**
 * The database id behind a global id in a mutation input, which must name a `typename`;
 * otherwise an INVALID_INPUT user error at `field`.
 */
export function idOf(globalId: string, typename: string, field: string): string {
  const decoded = parseGlobalID(globalId);
  if (!decoded || decoded.typename !== typename) {
    refuse('INVALID_INPUT', `${field} must be the id of a ${typename}, as returned by this API.`, inputField(field));
  }
  return decoded.id;
}

/** Same as idOf for optional inputs: absent stays undefined, null stays null. */
export function optionalIdOf(globalId: string | null | undefined, typename: string, field: string): string | null | undefined {
  return globalId == null ? globalId : idOf(globalId, typename, field);
}
