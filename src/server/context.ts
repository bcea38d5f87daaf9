import type { Registry } from 'prom-client';
import type { RampartConfig } from '../config/load.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { AnalysisRunService } from '../services/analysis-runs.js';
import type { AuditLog } from '../services/audit-log.js';
import type { BudgetService } from '../services/budgets.js';
import type { ClientKeyService, ClientPrincipal } from '../services/client-keys.js';
import type { ExceptionService } from '../services/exceptions.js';
import type { FlagGuardService } from '../services/flag-guards.js';
import type { FlagService } from '../services/flags.js';
import type { ServiceHealthService } from '../services/service-health.js';
import type { AnomalyService } from '../services/anomalies.js';
import type { SyntheticService } from '../services/synthetics.js';
import type { ResilienceProbe } from '../services/resilience-probe.js';
import type { NotificationInput, NotificationService } from '../services/notifications.js';
import type { ReleaseService } from '../services/releases.js';
import type { TrafficService } from '../services/traffic.js';
import type { RolloutService } from '../services/rollouts.js';
import type { EventBus } from '../platform/event-bus.js';
import type { Principal, TokenService } from '../services/tokens.js';
import type { Store } from '../store/types.js';

/** What the HTTP layer is given by the composition root. */
export interface ServerDeps {
  config: RampartConfig;
  store: Store;
  audit: AuditLog;
  tokens: TokenService;
  flags: FlagService;
  flagGuards: FlagGuardService;
  clientKeys: ClientKeyService;
  releases: ReleaseService;
  analysisRuns: AnalysisRunService;
  budgets: BudgetService;
  traffic: TrafficService;
  rollouts: RolloutService;
  events: EventBus;
  /** The notification outbox (list, reconcile). */
  notifications: NotificationService;
  /**
   * Tells the configured notifiers about an event: writes outbox rows durably and kicks
   * delivery; resolves once the rows are stored. Rollouts, exceptions and kill switches call it.
   */
  notify: (event: NotificationInput) => Promise<void>;
  /** Extra Prometheus text appended to GET /metrics (the data plane's per-version series). */
  extraMetrics?: () => string;
  exceptions: ExceptionService;
  /** Runtime safeguards (optional: absent in a server built without a data plane). */
  serviceHealth?: ServiceHealthService;
  anomalies?: AnomalyService;
  synthetics?: SyntheticService;
  resilienceProbe?: ResilienceProbe;
  clock: Clock;
  logger: Logger;
  metrics: Registry;
}

/** Per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal | undefined;
    /** A flag client key (read-only evaluation), when one was sent instead of an API token. */
    client: ClientPrincipal | undefined;
  };
}
