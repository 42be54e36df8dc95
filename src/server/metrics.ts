import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { MetricsSource } from '../core/metrics.ts';

/**
 * GET /metrics, in the Prometheus text format: the Node.js process figures and what the
 * modules register. prom-client is loaded by the first scrape, so an instance nobody scrapes
 * does not carry it.
 */
export function metricsEndpoint(sources: MetricsSource[]): (res: ServerResponse) => Promise<void> {
  let registry: Promise<Registry> | undefined;
  const load = async () => {
    const prom = await import('prom-client');
    const created = new prom.Registry();
    prom.collectDefaultMetrics({ register: created });
    for (const source of sources) source(prom, created);
    return created;
  };
  return async (res) => {
    const ready = await (registry ??= load());
    const body = await ready.metrics();
    res.writeHead(200, { 'content-type': ready.contentType, 'cache-control': 'no-store' });
    res.end(body);
  };
}
