import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** This instance's metrics: Node.js process figures, and those the modules register. */
export function createMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** GET /metrics, in the Prometheus text format. */
export async function serveMetrics(registry: Registry, res: ServerResponse): Promise<void> {
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}
