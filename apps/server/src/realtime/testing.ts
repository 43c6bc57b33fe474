// Test helpers for the websocket server: server processes, HTTP calls, raw tRPC websockets and their frames.
import { ROOM_PROCEDURE_PATH } from '@app/api/client';
import { SESSION_COOKIE_NAME } from '@app/core';
import type { Subprocess } from 'bun';

export const WEB_ORIGIN = 'http://localhost:5173';

/** The cookie a browser holds for a session token (as `auth.login` sets it). */
export const sessionCookie = (token: string) => `${SESSION_COOKIE_NAME}=${token}`;

/** A tRPC mutation over HTTP as the browser sends it (superjson, our origin, the cookie). */
export async function mutate(baseUrl: string, cookie: string | null, path: string, input: unknown) {
  const response = await fetch(`${baseUrl}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: WEB_ORIGIN, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { message: string; data: Record<string, unknown> } };
  };
  if (body.error) {
    return { ok: false as const, status: response.status, error: body.error.json };
  }
  return {
    ok: true as const,
    status: response.status,
    data: body.result!.data.json as Record<string, unknown>,
  };
}

const ENTRY = new URL('../index.ts', import.meta.url).pathname;

export type ServerNode = { process: Subprocess; url: string };

async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const { port } = probe;
  await probe.stop(true);
  return port!;
}

/** Starts a server process (as `bun apps/server/src/index.ts` runs in production) and waits until it is healthy. */
export async function startNode(env: Record<string, string>): Promise<ServerNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = Bun.spawn(['bun', ENTRY], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env },
    stdout: 'ignore',
    stderr: 'inherit',
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const healthy = await fetch(`${url}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return { process: child, url };
    if (Date.now() > deadline) {
      child.kill();
      throw new Error('a server node did not start');
    }
    await Bun.sleep(100);
  }
}

export async function stopNodes(nodes: ServerNode[]) {
  for (const node of nodes) node.process.kill();
  await Promise.all(nodes.map((node) => node.process.exited));
}

/** A tRPC query over HTTP (GET, superjson input), answered as `mutate` answers. */
export async function query(baseUrl: string, cookie: string | null, path: string, input: unknown) {
  const encoded = encodeURIComponent(JSON.stringify({ json: input }));
  const response = await fetch(`${baseUrl}/trpc/${path}?input=${encoded}`, {
    headers: { origin: WEB_ORIGIN, ...(cookie ? { cookie } : {}) },
  });
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: unknown };
  return { ok: body.result !== undefined, status: response.status, data: body.result?.data.json, response };
}

export type Frame = {
  raw: string;
  id?: number | string | null;
  result?: {
    type: string;
    id?: string;
    data?: { json: { id: string; data: Record<string, unknown>[] | Record<string, unknown> } };
  };
  error?: { json: { message: string; data: Record<string, unknown> } };
};

/** A raw websocket to `/trpc` that records every frame. */
export async function openSocket(baseUrl: string, cookie: string | null = null) {
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  let closed: { code: number; reason: string } | null = null;
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/trpc`, {
    headers: { origin: WEB_ORIGIN, ...(cookie ? { cookie } : {}) },
  } as never);
  socket.onmessage = (event) => {
    const raw = String(event.data);
    frames.push({ raw, ...(JSON.parse(raw) as object) });
    for (const wake of waiters) wake();
  };
  socket.onclose = (event) => {
    closed = { code: event.code, reason: event.reason };
    for (const wake of waiters) wake();
  };
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error('websocket refused'));
  });
  const api = {
    socket,
    frames,
    get closed() {
      return closed;
    },
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    /** Sends a query or mutation over the socket; read its answer with `answer(id)`. */
    call(id: number | string, method: 'query' | 'mutation', path: string, input: unknown) {
      api.send({ id, method, params: { path, input: { json: input } } });
    },
    /** The frame that answered call `id`, if any yet. */
    answer: (id: number | string) => frames.find((frame) => frame.id === id),
    subscribe(id: number | string, streamId: string, lastEventId?: string) {
      api.send({
        id,
        method: 'subscription',
        params: {
          path: ROOM_PROCEDURE_PATH,
          input: { json: { streamId } },
          ...(lastEventId ? { lastEventId } : {}),
        },
      });
    },
    /** Data events of subscription `id`, in order. */
    events(id: number | string) {
      return frames
        .filter((frame) => frame.id === id && frame.result?.type === 'data')
        .flatMap((frame) => {
          const data = frame.result!.data!.json.data;
          return (Array.isArray(data) ? data : [data]).map(
            (event) => ({ eventId: frame.result!.id!, ...event }) as Record<string, unknown>,
          );
        });
    },
    /** Chat texts received by subscription `id`. */
    texts(id: number | string) {
      return api
        .events(id)
        .filter((event) => event.type === 'chat.message')
        .map((event) => event.text as string);
    },
    async until(check: () => boolean, what: string, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 50);
        });
      }
    },
    close: () => socket.close(),
  };
  return api;
}
