import type { Registry } from 'prom-client';

/** What a module adds to the instance's metrics (GET /metrics), given prom-client and the registry. */
export type MetricsSource = (prom: typeof import('prom-client'), registry: Registry) => void;
