import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

// An https receiver for webhook tests, with a certificate made for this run (for localhost
// and 127.0.0.1). A server process trusts it through NODE_EXTRA_CA_CERTS=<caFile>. It records
// every request and answers as the test says: a status, or no answer at all.

export interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  /** The certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  received: Received[];
  /** How to answer the next requests, in order; the last one holds after that. */
  answer(...answers: Answer[]): void;
  close(): Promise<void>;
}

/** A certificate (and its key) for localhost and 127.0.0.1, made now; it is its own authority. */
export function localhostCertificate() {
  return generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
}

export async function startReceiver(): Promise<Receiver> {
  const pems = await localhostCertificate();
  const dir = await mkdtemp(join(tmpdir(), 'webhook-receiver-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, pems.cert);
  const received: Received[] = [];
  let answers: Answer[] = [200];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers as Record<string, string>, body });
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      if (answer === 'hang') hanging.add(res);
      // A redirect points back here: a sender that followed it would be seen asking for it.
      else res.writeHead(answer, { 'content-type': 'text/plain', location: '/redirected' }).end(answer < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}/hooks`,
    caFile,
    received,
    answer: (...next) => (answers = next),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
