// The chat load client of `bun run bench:chat`: N receivers in one room plus one sender at R msg/s for T s,
// speaking one of three protocols, so that the product and its two peers are driven the same way:
//   lumen     our server: tRPC over websocket, `chat.onStream` under the room's shared id, `chat.send` mutations
//   bun       ../shared/peers/chat/bun-ws-server.ts: bare Bun topic pub/sub (the ceiling)
//   socketio  ../shared/peers/chat/socketio-server.mjs: Express + Socket.IO (the seed's design)
// Receivers may be spread over several processes (--procs); every process stamps and reads CLOCK_MONOTONIC
// (process.hrtime), which is the same clock in every process, so latencies stay comparable. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ROOM_PROCEDURE_PATH, roomChannelId } from '@app/api/client';

const { values: opt } = parseArgs({
  options: {
    proto: { type: 'string', default: 'lumen' },
    url: { type: 'string', default: 'ws://127.0.0.1:3392' },
    conns: { type: 'string', default: '500' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    'drain-seconds': { type: 'string', default: '5' },
    procs: { type: 'string', default: '2' },
    'server-pid': { type: 'string' },
    'stream-id': { type: 'string', default: '' },
    /** The sender's session cookie. */
    cookie: { type: 'string', default: '' },
    /** A file of session cookies, one per line: receiver i (counted over every process) signs in with line i. */
    'viewer-cookies': { type: 'string' },
    'cookie-offset': { type: 'string', default: '0' },
    origin: { type: 'string', default: 'http://localhost:5173' },
    worker: { type: 'boolean', default: false },
  },
});

const CONNS = Number(opt.conns);
const RATE = Number(opt.rate);
const DURATION_MS = Number(opt.seconds) * 1000;
const DRAIN_MS = Number(opt['drain-seconds']) * 1000;
const PROCS = Math.max(1, Number(opt.procs));
const STREAM_ID = opt['stream-id'];
const ROOM = 'stream:1';
const CONNECT_CONCURRENCY = 50;
const P99_BUDGET_MS = 100;
const MAX_MESSAGES = Math.ceil((RATE * DURATION_MS) / 1000);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const TS = 'ts:';

type Protocol = {
  path: (receiver: boolean) => string;
  headers: (receiver: boolean) => Record<string, string>;
  /** Called on open: resolves readiness itself or waits for a frame. */
  onOpen: (ws: WebSocket, ready: () => void, receiver: boolean) => void;
  /** Returns true when the frame is a chat delivery (the caller then reads the ts). */
  onFrame: (ws: WebSocket, data: string, ready: () => void, receiver: boolean) => boolean;
  encode: (text: string, seq: number) => string;
};

let acks = 0;
let refusals = 0;
/** Send time of each message, by its request id (lumen), for the sender's round trip. */
const sentAt = new Map<number, number>();
const ackMs: number[] = [];
let firstError: string | null = null;

const viewerCookies = opt['viewer-cookies']
  ? readFileSync(opt['viewer-cookies'], 'utf8').split('\n').filter(Boolean)
  : [];
let nextViewer = Number(opt['cookie-offset']);

const protocols: Record<string, Protocol> = {
  lumen: {
    path: () => '/trpc',
    headers: (receiver) => {
      const cookie = receiver && viewerCookies.length > 0 ? viewerCookies[nextViewer++] : opt.cookie;
      return { origin: opt.origin, ...(cookie ? { cookie } : {}) };
    },
    onOpen(ws, ready, receiver) {
      if (!receiver) return ready();
      ws.send(
        JSON.stringify({
          id: roomChannelId(STREAM_ID),
          method: 'subscription',
          params: { path: ROOM_PROCEDURE_PATH, input: { json: { streamId: STREAM_ID } } },
        }),
      );
    },
    onFrame(_ws, data, ready, receiver) {
      if (!receiver) {
        if (data.includes('"error"')) {
          refusals++;
          firstError ??= data.slice(0, 300);
        } else acks++;
        const id = Number(/^\{"id":(\d+)/.exec(data)?.[1]);
        const at = sentAt.get(id);
        if (at !== undefined) ackMs.push(nowMs() - at);
        return false;
      }
      if (data.includes('"text":"ts:')) return true;
      if (data.includes('"type":"started"')) ready();
      else if (data.includes('"error"')) firstError ??= data.slice(0, 300);
      return false;
    },
    encode: (text, seq) =>
      JSON.stringify({
        id: seq + 1,
        method: 'mutation',
        params: {
          path: 'chat.send',
          input: { json: { streamId: STREAM_ID, text, clientMessageId: `bench-${process.pid}-${seq}` } },
        },
      }),
  },
  bun: {
    path: (receiver) => `/ws${receiver ? `?room=${encodeURIComponent(ROOM)}` : ''}`,
    headers: () => ({}),
    onOpen: (_ws, ready) => ready(),
    onFrame: () => true,
    encode: (text) => JSON.stringify({ type: 'chat', room: ROOM, text }),
  },
  socketio: {
    path: (receiver) =>
      `/socket.io/?EIO=4&transport=websocket${receiver ? `&room=${encodeURIComponent(ROOM)}` : ''}`,
    headers: () => ({}),
    onOpen() {},
    onFrame(ws, data, ready) {
      if (data.startsWith('42')) return true;
      if (data === '2') ws.send('3');
      else if (data.startsWith('0')) ws.send('40');
      else if (data.startsWith('40')) ready();
      return false;
    },
    encode: (text) => `42${JSON.stringify(['chat', { room: ROOM, text }])}`,
  },
};
const proto = protocols[opt.proto] ?? fail(`unknown --proto ${opt.proto}`);

// Latency histogram: 0.1 ms buckets up to 60 s.
const BUCKET_MS = 0.1;
const hist = new Uint32Array(600_000);
let delivered = 0;
let lastDeliveryAt = 0;
let counting = false;
/** Counting ends at this time (set when sending ends) or when everything expected arrived. */
let drainDeadline = Number.POSITIVE_INFINITY;
let expectedHere = Number.POSITIVE_INFINITY;
let drained: (() => void) | null = null;

/** Counts every message in a frame (our server sends a room's messages of a few ms together). */
function onDelivery(data: string) {
  if (!counting) return;
  const at = nowMs();
  // Checked here too: a server that fell far behind floods the client, and timers may then run late.
  if (at > drainDeadline) {
    counting = false;
    drained?.();
    return;
  }
  for (let i = data.indexOf(TS); i >= 0; i = data.indexOf(TS, i + TS.length)) {
    delivered++;
    lastDeliveryAt = at;
    const sentAt = Number.parseInt(data.slice(i + TS.length, i + TS.length + 16), 10) / 1000;
    hist[Math.min(hist.length - 1, Math.floor((at - sentAt) / BUCKET_MS))]! += 1;
  }
  if (delivered >= expectedHere) drained?.();
}

function open(receiver: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${opt.url}${proto.path(receiver)}`, {
      headers: proto.headers(receiver),
    } as never);
    const timer = setTimeout(() => reject(new Error('connect timeout')), 20_000);
    const ready = () => {
      clearTimeout(timer);
      resolve(ws);
    };
    ws.onopen = () => proto.onOpen(ws, ready, receiver);
    ws.onmessage = (event) => {
      const data = event.data as string;
      if (proto.onFrame(ws, data, ready, receiver) && receiver) onDelivery(data);
    };
    ws.onerror = () => {
      clearTimeout(timer);
      reject(new Error('websocket error'));
    };
  });
}

async function openReceivers(count: number) {
  const sockets: WebSocket[] = [];
  let failed = 0;
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await open(true).then(
        (ws) => sockets.push(ws),
        () => failed++,
      );
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return { sockets, failed };
}

function percentile(q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (total > 0 && seen >= q * total) return Math.round((i + 1) * BUCKET_MS * 10) / 10;
  }
  return null;
}

/** Waits until `expected` deliveries arrived or the drain time is up, then stops counting. */
async function drainUntil(expected: number) {
  expectedHere = expected;
  drainDeadline = nowMs() + DRAIN_MS;
  if (delivered < expected) {
    await new Promise<void>((resolve) => {
      drained = resolve;
      setTimeout(resolve, DRAIN_MS);
    });
  }
  counting = false;
}

function fail(message: string): never {
  console.error(`chat-load: ${message}`);
  process.exit(2);
}

/** CPU ms (user + system) of a process, from /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakRssMb(pid: number): number | null {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : null;
}

setTimeout(() => fail('run exceeded its time limit'), 90_000 + DURATION_MS + DRAIN_MS).unref();

if (opt.worker) {
  // A receiver-only child: connect, report, then count from 'start' until every message arrived or the send
  // window plus the drain is over, by its own clock: under a flood of late frames, messages from the parent
  // may arrive late, so the end does not wait for one.
  const { sockets, failed } = await openReceivers(CONNS);
  process.on('message', async (message: { type: string; t0: number }) => {
    if (message.type !== 'start') return;
    const cpu0 = process.cpuUsage();
    counting = true;
    const endsAt = message.t0 + DURATION_MS;
    await Bun.sleep(Math.max(0, endsAt - nowMs()));
    await drainUntil(MAX_MESSAGES * sockets.length);
    const cpu = process.cpuUsage(cpu0);
    const buckets: number[] = [];
    hist.forEach((n, i) => {
      if (n) buckets.push(i, n);
    });
    process.send!({
      type: 'result',
      delivered,
      buckets,
      lastDeliveryAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  });
  process.send!({ type: 'ready', conns: sockets.length, failed });
} else {
  // The coordinating process: its own share of receivers, the workers, and the sender.
  const share = Math.floor(CONNS / PROCS);
  type Child = {
    send: (m: unknown) => void;
    next: (type: string) => Promise<Record<string, unknown>>;
    kill: () => void;
  };
  const ownCount = CONNS - share * (PROCS - 1);
  const children: Child[] = Array.from({ length: PROCS - 1 }, (_, k) => {
    const waiting = new Map<string, (m: Record<string, unknown>) => void>();
    const offset = String(ownCount + k * share);
    const child = Bun.spawn(
      [
        'bun',
        import.meta.path,
        ...process.argv.slice(2),
        '--worker',
        '--conns',
        String(share),
        '--cookie-offset',
        offset,
      ],
      {
        stdout: 'inherit',
        stderr: 'inherit',
        ipc(message: Record<string, unknown>) {
          waiting.get(message.type as string)?.(message);
        },
      },
    );
    return {
      send: (m) => child.send(m),
      next: (type) => new Promise((resolve) => waiting.set(type, resolve)),
      kill: () => child.kill(),
    };
  });
  const childrenReady = Promise.all(children.map((c) => c.next('ready')));
  const own = await openReceivers(ownCount);
  const readies = await childrenReady;
  const conns = own.sockets.length + readies.reduce((sum, r) => sum + (r.conns as number), 0);
  const failed = own.failed + readies.reduce((sum, r) => sum + (r.failed as number), 0);
  if (conns === 0) fail(`no receiver connected (${failed} failed)${firstError ? `: ${firstError}` : ''}`);
  const sender = await open(false);
  await Bun.sleep(300);

  const pid = opt['server-pid'] ? Number(opt['server-pid']) : null;
  const serverCpu0 = pid ? cpuMs(pid) : 0;
  counting = true;
  const clientCpu0 = process.cpuUsage();
  const t0 = nowMs();
  for (const c of children) c.send({ type: 'start', t0 });
  const maxMessages = MAX_MESSAGES;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = nowMs() - t0;
      const due = Math.min(maxMessages, Math.floor((elapsed * RATE) / 1000) + 1);
      for (; sent < due; sent++) {
        const ts = Math.round(nowMs() * 1000); // µs
        sentAt.set(sent + 1, ts / 1000);
        sender.send(
          proto.encode(
            // The sequence number keeps two messages stamped in the same microsecond apart (chat refuses a repeat).
            `${TS}${ts} #${sent} gg! that was a great play, hello from the load client${process.env.PAD ?? ''}`,
            sent,
          ),
        );
      }
      if (elapsed >= DURATION_MS || sent >= maxMessages) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  const results = Promise.all(children.map((c) => c.next('result')));
  await drainUntil(sent * own.sockets.length);
  for (const ws of own.sockets) ws.close();
  let busiestClientMs = 0;
  for (const r of await results) {
    busiestClientMs = Math.max(busiestClientMs, r.cpuMs as number);
    delivered += r.delivered as number;
    lastDeliveryAt = Math.max(lastDeliveryAt, r.lastDeliveryAt as number);
    const buckets = r.buckets as number[];
    for (let k = 0; k < buckets.length; k += 2) hist[buckets[k]!]! += buckets[k + 1]!;
  }
  const wallMs = nowMs() - t0;
  const activeMs = Math.max(lastDeliveryAt - t0, DURATION_MS);
  const expected = sent * conns;
  const p99 = percentile(0.99);
  for (const c of children) c.kill();
  const ownCpu = process.cpuUsage(clientCpu0);
  busiestClientMs = Math.max(busiestClientMs, (ownCpu.user + ownCpu.system) / 1000);
  const serverCpuPct = pid ? Math.round(((cpuMs(pid) - serverCpu0) / wallMs) * 100) : null;
  console.log(
    JSON.stringify({
      server: opt.proto,
      conns,
      conn_failed: failed,
      rate: RATE,
      sent,
      delivered,
      deliv_per_s: Math.round((delivered * 1000) / activeMs),
      frac: Math.round((delivered / expected) * 10_000) / 10_000,
      p50_ms: percentile(0.5),
      p99_ms: p99,
      srv_rss_mb: pid ? peakRssMb(pid) : null,
      srv_cpu: serverCpuPct,
      /** The busiest load-client process, in % of one core: near 100 means the client may be the limit. */
      cli_cpu_max: Math.round((busiestClientMs / wallMs) * 100),
      ...(opt.proto === 'lumen'
        ? {
            acks,
            refusals,
            ack_p50_ms:
              Math.round((ackMs.sort((x, y) => x - y)[Math.floor(ackMs.length / 2)] ?? 0) * 10) / 10,
            ack_p99_ms: Math.round((ackMs[Math.floor(ackMs.length * 0.99)] ?? 0) * 10) / 10,
          }
        : {}),
      ok: delivered >= 0.99 * expected && p99 !== null && p99 < P99_BUDGET_MS,
    }),
  );
  if (firstError) console.error(`chat-load: first error: ${firstError}`);
  sender.close();
  process.exit(0);
}
