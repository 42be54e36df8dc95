import type { MetricsSource } from '../../core/metrics.ts';
import type { DeskService } from './service.ts';

// What an operator watches of the live desks, per property: displays connected to this
// instance now, and how often they (re)connected; and desk reads, answered again from a held
// read of an unchanged desk or with rows the database sent. Read from the desk service when scraped.

export const deskMetrics =
  (desk: DeskService): MetricsSource =>
  ({ Counter, Gauge }, registry) => {
    new Gauge({
      name: 'desk_subscriptions',
      help: 'Open Visitor Desk subscriptions on this instance, per property.',
      labelNames: ['property'],
      registers: [registry],
      collect() {
        this.reset();
        for (const property of desk.subscribedProperties()) this.set({ property }, desk.subscriberCount(property));
      },
    });
    new Counter({
      name: 'desk_subscriptions_opened_total',
      help: 'Visitor Desk subscriptions opened on this instance since it started, per property.',
      labelNames: ['property'],
      registers: [registry],
      collect() {
        this.reset();
        for (const property of desk.subscribedProperties()) this.inc({ property }, desk.startedCount(property));
      },
    });
    new Counter({
      name: 'desk_reads_total',
      help: 'Visitor Desk reads on this instance: answered again from the last read of an unchanged desk (held), or with rows sent by the database (read).',
      labelNames: ['answer'],
      registers: [registry],
      collect() {
        this.reset();
        const { answeredAgain, readAnew } = desk.readCounts();
        this.inc({ answer: 'held' }, answeredAgain);
        this.inc({ answer: 'read' }, readAnew);
      },
    });
    new Counter({
      name: 'desk_answers_reused_total',
      help: 'Visitor Desk reads on this instance answered with the GraphQL answer already built from the same version of the desk.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(desk.readCounts().answersReused);
      },
    });
  };
