import { appRouter } from '@app/api';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Runtime } from '../runtime.ts';
import { type BusProbe, startBusProbe } from './bus-probe.ts';
import { readLedgerProgress } from './ledger-progress.ts';

/** What a node's sockets hold right now, read at each scrape. */
export type SocketCounts = () => { connections: number; subscriptions: number };

/** Every procedure's name: a request's labels name one of these or "unknown", so nobody can grow the label set. */
const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));
/** The routes Elysia serves; anything else is labelled "other". */
const ROUTES = new Set(['/', '/healthz', '/metrics', '/webhooks/stripe', '/webhooks/livekit']);

/** Latency buckets (seconds): from a cached read (~1 ms) to a request that waited on a lock. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The node's Prometheus metrics (`prom-client`): the process (CPU, memory, event-loop lag, GC), HTTP requests and
 * their latency by procedure or route, websocket connections and subscriptions, the event bus's lag, and the
 * ledger's progress read from Postgres at each scrape (transactions and tips committed, the projector's lag).
 */
export function createMetrics(
  runtime: Runtime,
  options: { sockets?: SocketCounts; busProbeMs?: number } = {},
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lumen_' });
  const registers = [registry];

  const requests = new Counter({
    name: 'lumen_http_requests_total',
    help: 'HTTP requests answered, by tRPC procedure (or route), method and status.',
    labelNames: ['procedure', 'method', 'status'],
    registers,
  });
  const latency = new Histogram({
    name: 'lumen_http_request_duration_seconds',
    help: 'Time from a request arriving to its response, by tRPC procedure (or route).',
    labelNames: ['procedure'],
    buckets: BUCKETS,
    registers,
  });

  /** Each label set's series, looked up once: labelling a sample on every request cost ~1.4 µs. */
  const children = new Map<
    string,
    { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof latency.labels> }
  >();

  const sockets = options.sockets;
  new Gauge({
    name: 'lumen_websocket_connections',
    help: 'Open websocket connections on this node.',
    registers,
    collect() {
      if (sockets) this.set(sockets().connections);
    },
  });
  new Gauge({
    name: 'lumen_websocket_subscriptions',
    help: 'Live tRPC subscriptions (rooms, feeds) on this node.',
    registers,
    collect() {
      if (sockets) this.set(sockets().subscriptions);
    },
  });

  const busLag = new Histogram({
    name: 'lumen_bus_lag_seconds',
    help: 'Time from this node publishing a probe on the event bus to receiving it back.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  const busProbe: BusProbe = startBusProbe(
    runtime.deps.bus,
    (seconds) => busLag.observe(seconds),
    options.busProbeMs,
  );

  // Platform-wide counts, the same on every node: read them with max() across nodes, then rate().
  const ledgerTransactions = new Gauge({
    name: 'lumen_ledger_transactions',
    help: 'Ledger transactions committed on the platform so far (highest id); rate() gives transactions/s.',
    registers,
  });
  const tips = new Gauge({
    name: 'lumen_tips',
    help: 'Tips committed on the platform so far (highest id); rate() gives tips/s.',
    registers,
  });
  const projectorLag = new Gauge({
    name: 'lumen_projector_lag_transactions',
    help: 'Ledger transactions committed beyond what each projection has applied.',
    labelNames: ['projection'],
    registers,
  });
  const projectorLagSeconds = new Gauge({
    name: 'lumen_projector_lag_seconds',
    help: 'Age of the oldest ledger transaction a projection has not applied yet (0 when caught up).',
    labelNames: ['projection'],
    registers,
  });
  const scrapeFailures = new Counter({
    name: 'lumen_metrics_database_failures_total',
    help: 'Scrapes whose ledger figures could not be read from Postgres.',
    registers,
  });

  return {
    /** One answered HTTP request: `procedures` is the tRPC path (`a,b` for a batch) or the route's path. */
    observeRequest(procedures: string, method: string, status: number, seconds: number) {
      for (const raw of procedures.split(',')) {
        const procedure = PROCEDURES.has(raw) || ROUTES.has(raw) ? raw : 'unknown';
        const key = `${procedure} ${method} ${status}`;
        let series = children.get(key);
        if (!series) {
          // Bounded: known procedures and routes × a few methods × the statuses they answer with.
          series = {
            count: requests.labels(procedure, method, String(status)),
            time: latency.labels(procedure),
          };
          children.set(key, series);
        }
        series.count.inc();
        series.time.observe(seconds);
      }
    },
    /** The metrics in Prometheus's text format, with the ledger read now. */
    async text(): Promise<string> {
      try {
        const progress = await readLedgerProgress(runtime.deps.db);
        ledgerTransactions.set(progress.lastTransactionId);
        tips.set(progress.lastTipId);
        for (const projection of progress.projections) {
          projectorLag.set({ projection: projection.name }, projection.behind);
          projectorLagSeconds.set({ projection: projection.name }, projection.oldestSeconds);
        }
      } catch {
        scrapeFailures.inc();
      }
      return registry.metrics();
    },
    contentType: registry.contentType,
    stop: () => busProbe.stop(),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
