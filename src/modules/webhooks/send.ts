import { Agent, request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { parseEndpointUrl, resolveDestination, type DestinationPolicy } from './destinations.ts';

// One delivery attempt: a POST over https to an address checked right now (the connection
// goes to that very address, so a name cannot be re-pointed in between), no redirects
// followed, the answer read up to a small limit, all within the timeout.

const MAX_RESPONSE_BYTES = 4096;

// Kept-alive connections only ever go to addresses checked when they were opened.
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export interface AttemptResult {
  /** null: no answer (refused, unreachable, timed out). */
  responseStatus: number | null;
  durationMs: number;
  /** Why there was no answer, in a sentence. */
  error: string | null;
}

export interface Outgoing {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export async function send(outgoing: Outgoing, policy: DestinationPolicy, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now();
  const finish = (responseStatus: number | null, error: string | null): AttemptResult => ({
    responseStatus,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  const url = parseEndpointUrl(outgoing.url);
  if (typeof url === 'string') return finish(null, url);
  const destination = await resolveDestination(url, policy);
  if ('refused' in destination) return finish(null, destination.refused);
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [destination]);
    else callback(null, destination.address, destination.family);
  };
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        lookup,
        signal: AbortSignal.timeout(timeoutMs),
        headers: { ...outgoing.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(outgoing.body) },
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('close', () => resolve(finish(res.statusCode ?? null, null)));
        res.on('error', () => resolve(finish(res.statusCode ?? null, null)));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve(finish(null, describe(err, timeoutMs))));
    req.end(outgoing.body);
  });
}

function describe(err: NodeJS.ErrnoException, timeoutMs: number): string {
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return `No answer within ${timeoutMs} ms.`;
  if (err.code === 'ECONNREFUSED') return 'The connection was refused.';
  if (err.code === 'ECONNRESET') return 'The connection was reset.';
  if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT') || err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT')
    return `The TLS certificate was not accepted (${err.code}).`;
  return `The request failed (${err.code ?? err.message}).`;
}
