import type { Server } from 'node:http';
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import type { ChannelAdapter, InboundMessage, InboundSink, OutboundMessage } from '../adapters/types.js';
import type { ChannelId } from '../contracts/channel-ids.js';
import { setUpChannels, type ChannelSetup } from '../adapters/registry.js';
import type { ChatTranscript } from '../adapters/webchat/transcript.js';
import { ConfigError, formatProblem, loadConfig, type GatewayConfig } from '../config/loader.js';
import { CustomerStore } from '../storage/customer.store.js';
import { connectionWanted, dialectOf, migrate, openDatabase, type Db } from '../storage/db.js';
import { JournalStore } from '../storage/journal.store.js';
import { KvStateStore } from '../storage/kv-state.store.js';
import { OutboxStore } from '../storage/outbox.store.js';
import { TicketStore } from '../storage/ticket.store.js';
import { LabelledExampleStore } from '../storage/labelled-example.store.js';
import { TokenStore } from '../storage/token.store.js';
import { UserStore } from '../storage/user.store.js';
import { SessionStore } from '../storage/session.store.js';
import { chatSurveyMarkers } from './chat-survey.js';
import { BadRequestError } from './errors.js';
import { createApp } from './http/app.js';
import { Authenticator } from './http/auth.js';
import { complaintFormRoutes } from './http/complaint-form.routes.js';
import { messagesRoutes } from './http/messages.routes.js';
import { opsRoutes } from './http/ops.routes.js';
import { statusPageRoutes } from './http/status-page.routes.js';
import { consolePageRoutes, warmUpConsole } from '../console/console.routes.js';
import { ticketsRoutes } from './http/tickets.routes.js';
import { InboxStore } from '../storage/inbox.store.js';
import { inboxRoutes } from './http/inbox.routes.js';
import { ticketNotesRoutes } from './http/ticket-notes.routes.js';
import { cannedRepliesRoutes } from './http/canned-replies.routes.js';
import { consoleStreamRoutes } from './http/console-stream.routes.js';
import { TicketEventsBus } from './ticket-events-bus.js';
import type { LocalBus } from './cluster-bus/local-bus.js';
import { openClusterBus } from './cluster-bus/open-cluster-bus.js';
import { RateLimitStore } from '../storage/rate-limit.store.js';
import { sharedRateLimitStore } from './http/shared-rate-limit.js';
import { TicketNotes } from './ticket-notes.js';
import { CannedReplies } from './canned-replies.js';
import { tokensRoutes } from './http/tokens.routes.js';
import { sessionRoutes } from './http/session.routes.js';
import { agentsRoutes } from './http/agents.routes.js';
import { KnownAgents } from './known-agents.js';
import { systemClock, type Clock } from '../contracts/clock.js';
import { DEFAULT_LOCKOUT, SignIn } from './sign-in.js';
import { customersRoutes } from './http/customers.routes.js';
import { incidentsRoutes } from './http/incidents.routes.js';
import { IncidentStore } from '../storage/incident.store.js';
import { parseInboundMessage } from './intake/inbound-message.schema.js';
import { JournalWriter } from './intake/journal-writer.js';
import { configuredSecrets, createLogger } from './logger.js';
import { GatewayMetrics } from './metrics.js';
import { OutboxWorker } from './outbox-worker.js';
import type { Stage } from './pipeline/context.js';
import { PipelineWorker } from './pipeline/pipeline-worker.js';
import { preparedNlp } from './pipeline/prepared.js';
import { identifyStage } from './pipeline/stages/identify.stage.js';
import { normalizeStage } from './pipeline/stages/normalize.stage.js';
import { routeStage } from './pipeline/stages/route.stage.js';
import { classifyStage } from './pipeline/stages/classify.stage.js';
import { dedupeStage } from './pipeline/stages/dedupe.stage.js';
import { incidentStage } from './pipeline/stages/incident.stage.js';
import { botStage } from './pipeline/stages/bot.stage.js';
import { handoffStage } from './pipeline/stages/handoff.stage.js';
import { customerReplyStage } from './pipeline/stages/customer-reply.stage.js';
import { FaqMatcher } from '../nlp/faq/faq-matcher.js';
import { FaqDeflectionWorker } from './faq-deflection.js';
import { BandPurgeWorker } from './band-purge.js';
import { faqRoutes } from './http/faq.routes.js';
import type { Understanding as NlpUnderstanding, UnderstandingInput } from '../nlp/understanding.js';
import { warmUpNormalizer } from '../nlp/text-normalizer.js';
import { NlpServices } from './nlp-services.js';
import type { ModelReload } from './trained-model-file.js';
import { threadAttachStage } from './pipeline/stages/thread-attach.stage.js';
import { ConfigWatcher } from './config-watcher.js';
import { SingleConsumerRunner } from './single-consumer.js';
import { LeaseStore } from '../storage/lease.store.js';
import { AttachmentFiles, defaultAttachmentDir } from '../storage/attachment-files.js';
import { attachmentsRoutes } from './http/attachments.routes.js';
import { categoriesRoutes } from './http/categories.routes.js';
import { presenceRoutes } from './http/presence.routes.js';
import { statusPageActionRoutes } from './http/status-page-actions.routes.js';
import { ssoRoutes } from './http/sso.routes.js';
import { configWorkbenchRoutes } from './http/config-workbench.routes.js';
import { insightsRoutes } from './http/insights.routes.js';
import { apiDocsRoutes } from './http/api-docs.routes.js';
import { ConfigWorkbench } from './config-workbench.js';
import { ConfigVersionStore } from '../storage/config-version.store.js';
import { SingleSignOn } from './single-sign-on.js';
import { ssoConfigFromEnv } from '../config/sso.schema.js';
import { TicketPresence } from './ticket-presence.js';
import { CustomerUpdates } from './customer-updates.js';
import { Notifier } from './notifier.js';
import { SlaWorker } from './sla/sla-worker.js';
import { businessHoursFn } from './sla/sla-clock.js';
import { TicketService } from './ticket-service.js';
import { Webhooks } from './webhooks/webhooks.js';
import { PersonalDataStore } from '../storage/personal-data.store.js';
import { PersonalData } from './personal-data.js';
import { RetentionJob } from './retention.js';
import { JobLease } from './job-lease.js';
import { privacyRoutes } from './http/privacy.routes.js';
import { AuditStore } from '../storage/audit.store.js';
import { auditRoutes } from './http/audit.routes.js';
import { contactRevealRoutes } from './http/contact-reveal.routes.js';

/** How long an idle keep-alive connection stays open: longer than the 60 s idle timeout of nginx and most load balancers. */
const KEEP_ALIVE_MS = 65_000;

export interface GatewayOptions {
  config: GatewayConfig;
  /** Adapters supplied by the caller (tests pass fakes); channel adapters from config are added to these. */
  adapters?: ChannelAdapter[];
  logger?: Logger;
  /** Run the pipeline and outbox workers in this process (default: GATEWAY_WORKERS). */
  workers?: boolean;
  /** Apply edits to config/*.yaml while running (default true when started). */
  watchConfig?: boolean;
  /** Where "now" comes from for the pipeline, SLA, deflection and ticket changes (default: the system clock). */
  clock?: Clock;
  /** A stable name for this process's work claims (gateway/process-identity.ts); `gateway start` gives one, tests need not. */
  processName?: string;
}

/**
 * The composition root: config → storage → nlp → adapters → routes, wired by hand
 * in this one place.
 */
export class Gateway {
  readonly log: Logger;
  /** The one clock of the pipeline, SLA worker, FAQ deflection and ticket changes. */
  readonly clock: Clock;
  readonly db: Db;
  readonly journal: JournalStore;
  readonly tickets = new TicketStore();
  readonly customers = new CustomerStore();
  /** Agents' category corrections: training material for `gateway train --from-history`, never read by the pipeline. */
  readonly labelledExamples = new LabelledExampleStore();
  readonly outbox: OutboxStore;
  readonly tokens: TokenStore;
  /** People who sign in to the console, and their sessions. */
  readonly users: UserStore;
  readonly sessions: SessionStore;
  /** Who tickets may be assigned to: active agent/lead users and routing.yaml's queue agents. */
  readonly agents: KnownAgents;
  readonly state: KvStateStore;
  /** Inbound attachments kept as files (ATTACHMENT_DIR), served to agents from the ticket page. */
  readonly attachments: AttachmentFiles;
  readonly metrics: GatewayMetrics;
  readonly writer: JournalWriter;
  readonly pipeline: PipelineWorker;
  readonly sender: OutboxWorker;
  readonly service: TicketService;
  /** Progress messages and the rating question, told in batches after the changes that record them. */
  readonly customerUpdates: CustomerUpdates;
  /** Notices to and from the other gateway processes on the same database (EVENT_BUS). */
  readonly bus: LocalBus;
  /** Rate-limit counts in the database: the form's, sign-in's, the status page's and the e-mail sender limit hold across processes. */
  readonly rateLimits: RateLimitStore;
  /** Committed ticket changes, for the console's live stream (GET /api/v1/stream). */
  readonly ticketEvents: TicketEventsBus;
  /** Who has each ticket open or is typing on it (in memory, for the live stream). */
  readonly presence = new TicketPresence();
  readonly notifier: Notifier;
  readonly slaWorker: SlaWorker;
  readonly deflection: FaqDeflectionWorker;
  readonly bandPurge: BandPurgeWorker;
  /** Signed event webhooks and chat-room robot alerts, queued in the transaction of each change (gateway/webhooks/). */
  readonly webhooks: Webhooks;
  /** A customer's export and erasure (data subject rights). */
  readonly personalData: PersonalData;
  /** Finished tickets' text and attachments removed when their retention period runs out (daily). */
  readonly retention: RetentionJob;
  readonly auth: Authenticator;
  readonly app: Express;
  readonly adapters: ChannelAdapter[];
  private readonly channels: ChannelSetup;
  readonly leases: LeaseStore;
  /** Held by the one process that runs the timed jobs (SLA, deflection, retention, band purge). */
  readonly jobLease: JobLease;
  readonly runners: SingleConsumerRunner[] = [];
  private config: GatewayConfig;
  /** The last edit of the config directory that was refused (shown by GET /api/v1/config and the workbench). */
  private lastRefusedReload: { at: Date; problems: string[] } | undefined;
  private readonly nlp = new NlpServices(() => this.config);
  private server?: Server;
  private readonly serverClosers: Array<() => void> = [];
  private readonly workers: boolean;
  private readonly watcher?: ConfigWatcher;
  private readonly watchModel: boolean;
  private stopModelWatch?: () => void;

  private constructor(options: GatewayOptions, db: Db) {
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? createLogger(options.config.env.LOG_LEVEL, undefined, { secrets: configuredSecrets(options.config.rawEnv) });
    this.db = db;
    this.journal = new JournalStore(db);
    this.outbox = new OutboxStore(db);
    this.tokens = new TokenStore(db);
    this.users = new UserStore(db);
    this.sessions = new SessionStore(db);
    this.agents = new KnownAgents(this.users, () => this.config.routing);
    this.state = new KvStateStore(db);
    const env = options.config.env;
    this.attachments = new AttachmentFiles({
      dir: env.ATTACHMENT_DIR ?? defaultAttachmentDir(env.DATABASE_URL),
      maxBytes: env.ATTACHMENT_MAX_BYTES,
      allowedTypes: env.ATTACHMENT_TYPES,
    });
    this.leases = new LeaseStore(db);
    this.webhooks = new Webhooks({ db, config: () => this.config, clock: this.clock, log: this.log.child({ module: 'gateway/webhooks' }) });
    this.rateLimits = new RateLimitStore(db);
    this.bus = openClusterBus({ db, databaseUrl: env.DATABASE_URL, eventBus: env.EVENT_BUS, state: this.state, log: this.log });
    this.ticketEvents = new TicketEventsBus(db, this.log.child({ module: 'gateway/stream' }), this.bus);
    this.workers = options.workers ?? options.config.env.GATEWAY_WORKERS === 'true';
    if (options.watchConfig ?? true)
      this.watcher = new ConfigWatcher(options.config.dir, () => this.reloadConfig(), this.log.child({ module: 'gateway/config' }));
    this.watchModel = options.watchConfig ?? true;
    // GATEWAY_PROCESS_NAME names the process for any caller; `gateway start` gives a default (host:port, slot).
    const processName = options.processName ?? options.config.env.GATEWAY_PROCESS_NAME;
    this.metrics = new GatewayMetrics({ journalLag: () => this.journal.lag(), ticketsByStatus: () => this.tickets.countByStatus(db) }, processName);
    this.writer = new JournalWriter(this.journal, this.config.gateway.intake.groupCommitMaxBatch, this.metrics);
    this.channels = setUpChannels({
      env: this.config.rawEnv,
      sink: this.sink,
      state: (prefix) => this.state.scoped(prefix),
      logger: this.log,
      onDeliveryStatus: (channel, externalId, status, code) => this.recordDeliveryStatus(channel, externalId, status, code),
      answerNow: async (message) => this.nlp.answerNow(message),
      // A caller describing danger goes straight to the on-call lead (severity 1 by the classifier).
      isUrgent: (text) => this.nlp.understand({ text, channel: 'voice' }).severity === 1,
      isBusinessHours: (now) => businessHoursFn(this.config.sla)(undefined, now),
      transcript: (channel, threadKey, address) => this.chatTranscript(channel, threadKey, address),
      attachmentStore: this.attachments,
      bus: this.bus,
      rateCounter: this.rateLimits,
    });
    // Adapters passed in (test fakes) come first, so they win the outbox lookup for their channel.
    this.adapters = [...(options.adapters ?? []), ...this.channels.adapters];

    const settings = () => this.config.gateway;
    this.sender = new OutboxWorker({
      db,
      outbox: this.outbox,
      tickets: this.tickets,
      settings,
      adapterFor: (out) => this.adapterFor(out),
      log: this.log.child({ module: 'gateway/outbox' }),
      metrics: this.metrics,
      processName,
      clock: this.clock,
    });
    this.pipeline = new PipelineWorker({
      db,
      journal: this.journal,
      tickets: this.tickets,
      outbox: this.outbox,
      config: () => this.config,
      stages: () => this.stages(),
      log: this.log.child({ module: 'gateway/pipeline' }),
      metrics: this.metrics,
      // SQLite has one writer: intake appends go first, the pipeline writes in the gaps (at most 50 ms held back),
      // and its transaction ends as soon as an append or a request waits for the connection.
      beforeTransaction: dialectOf(db) === 'sqlite' ? () => this.writer.idle(50) : undefined,
      othersWaiting: dialectOf(db) === 'sqlite' ? () => this.writer.waiting() || connectionWanted(db) : undefined,
      clock: this.clock,
      processName,
      onCommitted: (results) => {
        this.sender.notify();
        void this.ticketEvents.announce(results.map((r) => ({ ticketId: r.ticketId, reason: r.created ? 'created' : 'message' })));
        for (const r of results) {
          for (const rule of r.firedRules) this.metrics.routingRuleHits.inc({ rule });
          if (r.handoff) this.metrics.faqOutcomes.inc({ outcome: 'handoff' });
          if (r.faq) {
            this.metrics.faqOutcomes.inc({ outcome: r.faq.answered ? 'answered' : r.faq.withheld ? 'withheld' : 'unanswered' });
            if (r.faq.answered && r.faq.entryId) this.metrics.faqHits.inc({ entry: r.faq.entryId });
          }
          if (r.notify.length > 0) void this.notifier.send(r.notify, { type: 'routing', ticket: r.ticketNumber });
        }
      },
    });
    this.writer.onAppended(() => this.pipeline.notify());
    this.customerUpdates = new CustomerUpdates({
      db,
      tickets: this.tickets,
      outbox: this.outbox,
      settings,
      publicBaseUrl: this.config.env.PUBLIC_BASE_URL,
      canDeliver: (channel) => this.adapters.some((a) => a.id === channel),
      onQueued: () => this.sender.notify(),
      clock: this.clock,
      log: this.log.child({ module: 'gateway/customer-updates' }),
    });
    this.service = new TicketService(
      db,
      this.tickets,
      this.outbox,
      () => this.config.sla,
      () => this.sender.notify(),
      {
        categories: () => this.config.categories,
        examples: this.labelledExamples,
      },
      this.agents,
      (change) => void this.ticketEvents.announce([change]),
      this.customerUpdates,
      this.clock,
    );
    this.notifier = new Notifier(this.log.child({ module: 'gateway/notifier' }));
    this.jobLease = new JobLease(this.leases, processName, this.log.child({ module: 'gateway/leases' }));
    const gate = () => this.jobLease.held();
    this.bandPurge = new BandPurgeWorker({ db, config: () => this.config, log: this.log.child({ module: 'gateway/maintenance' }), gate });
    const personalDataStore = new PersonalDataStore();
    this.personalData = new PersonalData({
      db,
      store: personalDataStore,
      customers: this.customers,
      tickets: this.tickets,
      files: this.attachments,
      clock: this.clock,
      log: this.log.child({ module: 'gateway/privacy' }),
    });
    this.retention = new RetentionJob({
      db,
      store: personalDataStore,
      personalData: this.personalData,
      config: () => this.config,
      clock: this.clock,
      log: this.log.child({ module: 'gateway/retention' }),
      gate,
    });
    this.deflection = new FaqDeflectionWorker({
      db,
      tickets: this.tickets,
      config: () => this.config,
      log: this.log.child({ module: 'gateway/faq' }),
      metrics: this.metrics,
      onChanged: (change) => void this.ticketEvents.announce([change]),
      clock: this.clock,
      gate,
    });
    this.slaWorker = new SlaWorker({
      db,
      tickets: this.tickets,
      config: () => this.config,
      log: this.log.child({ module: 'gateway/sla' }),
      metrics: this.metrics,
      notifier: this.notifier,
      onChanged: (change) => void this.ticketEvents.announce([change]),
      clock: this.clock,
      gate,
    });
    const sessionTtlMs = this.config.env.CONSOLE_SESSION_HOURS * 3_600_000;
    const ssoSettings = ssoConfigFromEnv(this.config.rawEnv);
    const workbench = new ConfigWorkbench({
      db,
      versions: new ConfigVersionStore(db),
      config: () => this.config,
      reload: () => this.reloadConfig(),
      log: this.log.child({ module: 'gateway/workbench' }),
      people: async () => (await this.users.active(['agent', 'lead'])).map((u) => u.username),
    });
    this.auth = new Authenticator(
      this.tokens,
      this.config.env.GATEWAY_ADMIN_TOKEN,
      { store: this.sessions, ttlMs: sessionTtlMs },
      this.bus,
      () => this.config.gateway.masking,
    );

    const audit = new AuditStore();
    const routers: Router[] = [
      opsRoutes({
        db,
        adapters: () => this.adapters,
        metrics: this.metrics,
        auth: this.auth,
        configInfo: () => this.config,
        lastRefused: () => this.lastRefusedReload,
      }),
      messagesRoutes({ auth: this.auth, sink: this.sink, journal: this.journal, tickets: this.tickets, db, clock: this.clock }),
      // Before ticketsRoutes: the console's inbox answers GET /api/v1/tickets.
      inboxRoutes({ auth: this.auth, db, inbox: new InboxStore(), routing: () => this.config.routing }),
      ticketsRoutes({ auth: this.auth, db, tickets: this.tickets, customers: this.customers, service: this.service }),
      categoriesRoutes({ auth: this.auth, categories: () => this.config.categories }),
      insightsRoutes({
        auth: this.auth,
        db,
        timeZone: () => this.config.sla.calendars[this.config.sla.defaultCalendar]?.timeZone ?? 'UTC',
        lowScore: () => this.config.gateway.csat.lowScore,
      }),
      configWorkbenchRoutes({ auth: this.auth, workbench }),
      attachmentsRoutes({ auth: this.auth, db, tickets: this.tickets, service: this.service, files: this.attachments }),
      ticketNotesRoutes({
        auth: this.auth,
        notes: new TicketNotes({
          db,
          tickets: this.tickets,
          find: (id) => this.service.find(id),
          onChanged: (change) => void this.ticketEvents.announce([change]),
        }),
      }),
      cannedRepliesRoutes({
        auth: this.auth,
        service: this.service,
        replies: new CannedReplies({ db, customers: this.customers, config: () => this.config.cannedReplies }),
      }),
      consoleStreamRoutes({ auth: this.auth, bus: this.ticketEvents, presence: this.presence }),
      presenceRoutes({ auth: this.auth, service: this.service, presence: this.presence }),
      tokensRoutes({ auth: this.auth, tokens: this.tokens, db, audit }),
      auditRoutes({ auth: this.auth, db, audit }),
      contactRevealRoutes({ auth: this.auth, db, tickets: this.tickets, customers: this.customers, service: this.service, audit }),
      sessionRoutes({
        auth: this.auth,
        signIn: new SignIn(this.users, this.sessions, { sessionTtlMs, ...DEFAULT_LOCKOUT }),
        sessions: this.sessions,
        sessionTtlMs,
        rateLimitStore: sharedRateLimitStore(this.rateLimits, 'sign-in:'),
      }),
      ssoRoutes({ sso: ssoSettings && new SingleSignOn(ssoSettings, this.users, this.sessions, sessionTtlMs), sessionTtlMs, log: this.log }),
      agentsRoutes({ auth: this.auth, agents: this.agents }),
      this.webhooks.routes(this.auth),
      faqRoutes({ auth: this.auth, db, faq: () => this.config.faq, workbench }),
      customersRoutes({ auth: this.auth, db, customers: this.customers, tickets: this.tickets }),
      privacyRoutes({ auth: this.auth, personalData: this.personalData }),
      incidentsRoutes({
        auth: this.auth,
        db,
        incidents: new IncidentStore(),
        tickets: this.tickets,
        service: this.service,
        templates: () => this.config.gateway.incidents.resolvedTemplates,
      }),
      complaintFormRoutes({
        sink: this.sink,
        rateLimit: this.config.gateway.form.rateLimit,
        journal: this.journal,
        tickets: this.tickets,
        db,
        canDeliver: (channel) => this.adapters.some((a) => a.id === channel),
        publicBaseUrl: this.config.env.PUBLIC_BASE_URL,
        frameAncestors: () => this.config.gateway.server.formFrameAncestors,
        rateLimitStore: sharedRateLimitStore(this.rateLimits, 'form:'),
      }),
      statusPageRoutes({ db, tickets: this.tickets }),
      statusPageActionRoutes({
        db,
        tickets: this.tickets,
        service: this.service,
        settings: () => this.config.gateway,
        onChanged: (change) => void this.ticketEvents.announce([change]),
        rateLimitStore: sharedRateLimitStore(this.rateLimits, 'status-page:'),
      }),
      // /api/v1/openapi.json and the reference page /api/docs, from gateway/http/api-routes.ts.
      apiDocsRoutes(),
      consolePageRoutes({ log: this.log }),
    ];
    this.app = createApp({
      log: this.log,
      bodyLimit: this.config.gateway.server.bodyLimit,
      trustProxy: this.config.gateway.server.trustProxy,
      routers,
      rawBodyRouters: this.channels.webhooks,
    });
  }

  /** Opens the database, runs migrations and wires everything; nothing listens or polls yet. */
  static async create(options: GatewayOptions): Promise<Gateway> {
    const db = openDatabase(options.config.env.DATABASE_URL);
    await migrate(db);
    return new Gateway(options, db);
  }

  /** The durable journal append every adapter and intake route uses. */
  readonly sink: InboundSink = async (message: InboundMessage) => {
    const parsed = parseInboundMessage(message, new Date(this.clock.now()));
    if (!parsed.ok) throw new BadRequestError(`invalid message from ${message?.channel ?? 'unknown'} adapter: ${parsed.problems.join('; ')}`);
    const { id, duplicate } = await this.writer.append(parsed.message);
    return { id: String(id), duplicate };
  };

  /** Classification and FAQ matching for the active config (see NlpServices). */
  understand(input: UnderstandingInput): NlpUnderstanding {
    return this.nlp.understand(input);
  }

  faqMatcher(): FaqMatcher {
    return this.nlp.faqMatcher();
  }

  private stagesCache?: { version: string; stages: readonly Stage[] };

  /** The pipeline stages in DESIGN.md order. */
  stages(): readonly Stage[] {
    // Built once per config version (the worker asks for them every batch).
    if (this.stagesCache?.version !== this.config.version) this.stagesCache = { version: this.config.version, stages: this.buildStages() };
    return this.stagesCache.stages;
  }

  private buildStages(): readonly Stage[] {
    // The pure NLP work of a message (normalize, evidence, signature, classify, FAQ) can be
    // done ahead, while the database is busy with earlier messages of the batch.
    const nlp = preparedNlp({
      normalize: (text) => this.nlp.normalize(text),
      evidence: (text) => this.nlp.evidence(text),
      classify: (input) => {
        const u = this.nlp.understand(input);
        return { ...u, subcategory: u.subcategory ?? undefined, entities: u.entities as unknown as Record<string, unknown> };
      },
      decide: (text, opts) => this.nlp.faqMatcher().decide(text, opts),
      // A model reload changes classifications as a config reload does: results prepared before it are not reused.
      version: () => `${this.config.version}:${this.nlp.trainedModel(this.config)?.generation ?? 0}`,
    });
    return [
      { ...normalizeStage(nlp.normalize), prepare: (message, ahead) => nlp.prepare(message, ahead) },
      identifyStage(nlp.evidence, this.customers),
      customerReplyStage(() => this.config.gateway, this.tickets),
      handoffStage(() => this.config.faq, this.tickets),
      threadAttachStage(this.tickets),
      dedupeStage(() => this.config.gateway.dedupe, undefined, nlp.signature),
      classifyStage(nlp.classify),
      botStage({ faq: () => this.config.faq, decide: nlp.decide }),
      incidentStage(() => this.config.gateway.incidents),
      routeStage({ routing: () => this.config.routing, sla: () => this.config.sla, tickets: this.tickets }),
    ];
  }

  /** The active configuration (routing, SLA, templates…). */
  get activeConfig(): GatewayConfig {
    return this.config;
  }

  /**
   * Re-reads config/*.yaml. A valid edit applies to the next message at once; an invalid
   * one is refused with a log line naming file, line and field, and the old rules keep running.
   * Environment-driven settings (database, port, channel credentials) need a restart.
   */
  reloadConfig(): { applied: boolean; version: string; problems?: string[] } {
    const log = this.log.child({ module: 'gateway/config' });
    try {
      const next = loadConfig({ dir: this.config.dir, env: this.config.rawEnv });
      if (next.version === this.config.version) return { applied: false, version: this.config.version };
      const previous = this.config.version;
      this.config = next;
      this.metrics.configReloads.inc({ result: 'applied' });
      log.info({ version: next.version, previous }, 'config reloaded');
      return { applied: true, version: next.version };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const problems = err.problems.map(formatProblem);
      this.metrics.configReloads.inc({ result: 'refused' });
      for (const p of problems) log.warn({ problem: p, keptVersion: this.config.version }, `config edit refused, old config still active: ${p}`);
      this.lastRefusedReload = { at: new Date(), problems };
      return { applied: false, version: this.config.version, problems };
    }
  }

  /**
   * Re-reads the model file named by GATEWAY_NLP_MODEL (SIGHUP, or an edit the model watch sees).
   * A new model classifies the next message; a bad file is refused with a log line and the
   * model already loaded keeps running.
   */
  reloadModel(): ModelReload {
    const log = this.log.child({ module: 'gateway/nlp' });
    const result = this.nlp.reloadModel();
    const file = this.config.env.GATEWAY_NLP_MODEL;
    if (result.applied) log.info({ file, labels: result.labels, examples: result.examples }, 'model reloaded');
    else if (result.problem && file) log.warn({ file, problem: result.problem }, `model file refused, previous model still active: ${result.problem}`);
    return result;
  }

  /** A provider's delivery receipt for one of our outbound messages; failures become ticket events. */
  async recordDeliveryStatus(channel: string, externalId: string, status: string, errorCode?: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      const item = await this.outbox.findByExternalId(trx, channel, externalId);
      if (!item) return; // not ours, or sent before this database existed
      await this.tickets.setDeliveryStatus(trx, item.messageId, status);
      if (status === 'failed' || status === 'undelivered') {
        await this.tickets.addEvent(trx, {
          ticketId: item.ticketId,
          actor: `adapter:${channel}`,
          type: 'delivery_failed',
          before: null,
          after: { messageId: item.messageId, channel, status, code: errorCode ?? null },
        });
      }
    });
  }

  /**
   * A chat visitor's own conversation: what `address` wrote in thread `threadKey`
   * and the replies sent to them, never other channels' messages on the ticket.
   * The status token is given only for a ticket this conversation opened.
   */
  async chatTranscript(channel: ChannelId, threadKey: string, address: string): Promise<ChatTranscript | undefined> {
    const ticket = await this.tickets.findByThread(this.db, channel, threadKey);
    if (!ticket) return undefined;
    const messages = await this.tickets.messages(this.db, ticket.id);
    const mine = messages.filter(
      (m) => m.channel === channel && (m.direction === 'in' ? m.fromAddress === address && m.meta.threadKey === threadKey : m.toAddress === address),
    );
    const first = messages.find((m) => m.direction === 'in');
    const opened = first?.channel === channel && first.meta.threadKey === threadKey && first.fromAddress === address;
    const role = (m: (typeof messages)[number]) => (m.direction === 'in' ? 'visitor' : m.author === 'customer' ? 'system' : m.author);
    const shown = mine.slice(-200);
    const marks = chatSurveyMarkers(ticket, shown, this.config.gateway.csat, this.clock.now());
    // Replies carry their outbox id when pushed live; the same id here lets the widget tell them apart from new ones.
    const outboxIds = new Map<number, number>();
    const outIds = shown.filter((m) => m.direction === 'out').map((m) => m.id);
    if (outIds.length > 0)
      for (const r of await this.db('outbox').whereIn('message_id', outIds).select('id', 'message_id')) outboxIds.set(Number(r.message_id), Number(r.id));
    return {
      ticketNumber: ticket.number,
      statusToken: opened ? ticket.statusToken : undefined,
      entries: shown.map((m) => ({
        id: m.direction === 'in' ? String(m.externalId ?? m.id) : `out-${outboxIds.get(m.id) ?? `m${m.id}`}`,
        role: role(m),
        text: m.text,
        at: new Date(m.createdAt).toISOString(),
        ...marks(m),
      })),
    };
  }

  adapterFor(out: OutboundMessage): ChannelAdapter | undefined {
    return this.adapters.find((a) => a.id === out.channel);
  }

  /** Starts adapters, workers and the HTTP listener. */
  async start(port = this.config.env.PORT, host = this.config.env.HOST): Promise<Server> {
    // Load jieba's dictionary and build the NLP indexes now rather than on the first message.
    warmUpNormalizer();
    this.nlp.warmUp();
    await this.bus.start();
    this.startModelWatch();
    for (const adapter of this.adapters) {
      if (adapter.singleConsumer) {
        const runner = new SingleConsumerRunner(
          adapter,
          this.leases,
          this.sink,
          this.log.child({ module: 'gateway/leases' }),
          this.config.gateway.channels.leaseSeconds * 1000,
        );
        this.runners.push(runner);
        await runner.start();
      } else {
        await adapter.start(this.sink);
      }
    }
    // Bundle the console now, so the first agent to open /console does not wait for esbuild.
    warmUpConsole(this.log);
    this.watcher?.start();
    if (this.workers) {
      await this.pipeline.start();
      await this.sender.start();
      this.customerUpdates.start();
      this.slaWorker.start();
      this.deflection.start();
      this.bandPurge.start();
      this.webhooks.start();
      this.retention.start();
    }
    await new Promise<void>((resolve, reject) => {
      this.server = this.app.listen(port, host, () => resolve());
      this.server.once('error', reject);
    });
    // An idle keep-alive connection stays open longer than the idle timeout of the proxy or client that
    // pools it (nginx and most load balancers: 60 s). With Node's 5 s the gateway closed sockets a proxy was
    // about to reuse, and that request failed with a reset (a 502 behind nginx).
    this.server!.keepAliveTimeout = KEEP_ALIVE_MS;
    this.server!.headersTimeout = KEEP_ALIVE_MS + 1_000;
    for (const hook of this.channels.onServer) {
      const close = hook(this.server!);
      if (close) this.serverClosers.push(close);
    }
    const address = this.server!.address();
    this.log.info(
      {
        port: typeof address === 'object' && address ? address.port : port,
        database: this.config.env.DATABASE_URL.split(':')[0],
        adapters: this.adapters.map((a) => a.id),
      },
      'gateway listening',
    );
    return this.server!;
  }

  /** Stops taking requests, lets in-flight work finish, closes the database. */
  async stop(): Promise<void> {
    this.watcher?.stop();
    this.presence.stop();
    this.stopModelWatch?.();
    if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
        // Upgraded connections (widget WebSockets) are not closed by closeAllConnections.
        for (const close of this.serverClosers.splice(0)) close();
      });
      this.server = undefined;
    }
    for (const runner of this.runners) await runner.stop().catch((err) => this.log.warn({ err }, 'single-consumer adapter did not stop cleanly'));
    for (const adapter of this.adapters) {
      if (adapter.singleConsumer) continue;
      await adapter.stop().catch((err) => this.log.warn({ err, adapter: adapter.id }, 'adapter did not stop cleanly'));
    }
    await this.pipeline.stop();
    // Before the sender: what it tells last is still sent.
    await this.customerUpdates.stop();
    await this.sender.stop();
    await this.slaWorker.stop();
    await this.deflection.stop();
    await this.bandPurge.stop();
    await this.retention.stop();
    await this.jobLease.release();
    await this.bus.close();
    // Last: what the other workers changed while stopping still reached the delivery outbox.
    await this.webhooks.stop();
    await this.db.destroy();
  }

  /** Watches the model file when one is configured, so a newly trained model applies without a restart. */
  private startModelWatch(): void {
    const model = this.nlp.trainedModel(this.config);
    if (!model) return;
    const log = this.log.child({ module: 'gateway/nlp' });
    if (!model.model) log.warn({ file: model.file }, 'model file does not exist yet: classifying with the rules alone until `gateway train` writes it');
    if (!this.watchModel) return;
    this.stopModelWatch = model.watch(
      () => this.reloadModel(),
      (err) => log.warn({ err, file: model.file }, 'cannot watch the model file; reload with SIGHUP'),
    );
  }

  get url(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('gateway is not listening');
    return `http://127.0.0.1:${address.port}`;
  }
}
