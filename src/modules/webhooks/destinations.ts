import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// Where a webhook may be sent: https only, and never to this machine, its private networks,
// link-local or cloud metadata addresses, however the address is spelled. The URL parser
// already normalises IPv4 spelled in hex, octal or as one number (0x7f.1, 2130706433) and
// IPv6 forms; what a host name resolves to is checked when the endpoint is saved and again
// on every attempt, against the address actually connected to (no DNS rebinding).

export interface DestinationPolicy {
  /** Loopback and private networks allowed (tests, private deployments); never plain http. */
  allowPrivate: boolean;
}

/** Ranges (ipaddr.js names) a private deployment may opt into. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** Cloud metadata services, refused even where private networks are allowed. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** Why an address may not be called, or null when it may. */
export function refusedAddress(address: string, policy: DestinationPolicy): string | null {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (METADATA.has(parsed.toString())) return `${parsed.toString()} is a cloud metadata address`;
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (policy.allowPrivate && PRIVATE_RANGES.has(range)) return null;
  return `${parsed.toString()} is a ${RANGE_NAMES[range] ?? 'reserved'} address`;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private network',
  uniqueLocal: 'private network',
  carrierGradeNat: 'private network',
  linkLocal: 'link-local (cloud metadata)',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
};

/** The URL an endpoint may have, or the sentence saying why not (before any lookup). */
export function parseEndpointUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'The URL is not a valid absolute URL; give one like https://hooks.example.com/visitors.';
  }
  if (url.protocol !== 'https:') return 'Webhook URLs must use https.';
  if (url.username || url.password)
    return 'Webhook URLs must not carry a user name or password; the signature authenticates each delivery.';
  if (url.href.length > 2000) return 'The URL must be at most 2000 characters long.';
  return url;
}

const LOOKUP_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The address to connect to for `url`, or why none may be: every address the host has must be allowed. */
export async function resolveDestination(
  url: URL,
  policy: DestinationPolicy,
): Promise<{ address: string; family: number } | { refused: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await withTimeout(lookup(host, { all: true, verbatim: true }), LOOKUP_TIMEOUT_MS);
    } catch {
      return { refused: `${host} does not resolve to an address.` };
    }
  }
  for (const { address } of addresses) {
    const why = refusedAddress(address, policy);
    if (why) return { refused: `${host} resolves to ${why}; webhooks go to public addresses only.` };
  }
  return addresses[0] ?? { refused: `${host} does not resolve to an address.` };
}
