import type { YogaLogger } from 'graphql-yoga';

/**
 * Load balancers give up on a probe after a few seconds and treat a late answer as a failure
 * anyway: a database that has not answered by then is reported unavailable.
 */
const HEALTH_TIMEOUT_MS = 1_500;

/**
 * Whether the database answers a round trip within HEALTH_TIMEOUT_MS. While one round trip is
 * pending, later probes wait for the same one, so a stalled database does not pile up pings
 * (or take every pool connection). A change of state is logged once.
 */
export function databaseProbe(ping: () => Promise<void>, logger: YogaLogger): () => Promise<boolean> {
  let pending: Promise<boolean> | undefined;
  let answering = true;
  const report = (ok: boolean) => {
    if (ok === answering) return;
    answering = ok;
    if (ok) logger.info('The database answers again.');
    else logger.warn(`The database does not answer within ${HEALTH_TIMEOUT_MS} ms; /health reports 503 until it does.`);
  };
  return async () => {
    pending ??= ping().then(
      () => true,
      () => false,
    );
    const round = pending;
    void round.finally(() => {
      if (pending === round) pending = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS)));
    const ok = await Promise.race([round, late]);
    clearTimeout(timer);
    report(ok);
    return ok;
  };
}
