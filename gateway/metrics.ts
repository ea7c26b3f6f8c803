import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, on one registry per gateway instance (tests run several). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly messagesReceived = new Counter({
    name: 'gateway_messages_received_total',
    help: 'Messages accepted into the intake journal, by channel (duplicates excluded)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly duplicatesReceived = new Counter({
    name: 'gateway_messages_duplicate_total',
    help: 'Redelivered messages recognised as already in the journal, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly pipelineLatency = new Histogram({
    name: 'gateway_pipeline_latency_seconds',
    help: 'From journal acceptance to ticket commit',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly pipelineFailures = new Counter({
    name: 'gateway_pipeline_failures_total',
    help: 'Journal rows whose processing failed (they are retried, then parked)',
    registers: [this.registry],
  });
  readonly outboxSent = new Counter({
    name: 'gateway_outbox_sent_total',
    help: 'Outbound messages handed to a channel, by channel and result',
    labelNames: ['channel', 'result'] as const,
    registers: [this.registry],
  });

  readonly routingRuleHits = new Counter({
    name: 'gateway_routing_rule_hits_total',
    help: 'Routing rules that fired for new tickets, by rule id',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  readonly slaEvents = new Counter({
    name: 'gateway_sla_events_total',
    help: 'SLA warnings and breaches, by kind and target',
    labelNames: ['kind', 'target'] as const,
    registers: [this.registry],
  });
  readonly faqOutcomes = new Counter({
    name: 'gateway_faq_outcomes_total',
    help: 'FAQ bot outcomes: answered, withheld (sensitive complaint), unanswered, handoff, deflected',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly faqHits = new Counter({
    name: 'gateway_faq_hits_total',
    help: 'Bot answers per FAQ entry',
    labelNames: ['entry'] as const,
    registers: [this.registry],
  });
  readonly configReloads = new Counter({
    name: 'gateway_config_reloads_total',
    help: 'Config reloads, by result (applied or refused)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(
    collectors: { journalLag: () => Promise<{ pending: number; oldestAgeMs: number }>; ticketsByStatus: () => Promise<Record<string, number>> },
    /** Labels every series with the process it came from, so N processes behind one port are told apart when scraped. */
    processName?: string,
  ) {
    if (processName) this.registry.setDefaultLabels({ process: processName });
    collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
    new Gauge({
      name: 'gateway_journal_pending',
      help: 'Journal rows accepted but not yet turned into tickets',
      registers: [this.registry],
      async collect() {
        this.set((await collectors.journalLag()).pending);
      },
    });
    new Gauge({
      name: 'gateway_journal_lag_seconds',
      help: 'Age of the oldest journal row not yet processed',
      registers: [this.registry],
      async collect() {
        this.set((await collectors.journalLag()).oldestAgeMs / 1000);
      },
    });
    new Gauge({
      name: 'gateway_tickets',
      help: 'Tickets by status',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [status, n] of Object.entries(await collectors.ticketsByStatus())) this.set({ status }, n);
      },
    });
  }
}
