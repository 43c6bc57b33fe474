import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { SESSION_COOKIE_NAME } from '@app/core';
import { createTestDeps, createTestUser, type TestDeps } from '@app/core/testing';
import { sql } from 'drizzle-orm';
import { Elysia } from 'elysia';
import { createApp } from './app.ts';
import { parseEnv } from './env.ts';
import { describeFailure } from './failure.ts';
import { createLogger } from './logger.ts';
import { httpBasics } from './modules/http-basics.ts';

const WEB = 'http://localhost:5173';
/** A value that must never appear in a log line: it travels only as a query parameter. */
const SECRET = 'secret-param-9731';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps();
  // Profile edits fail inside Postgres, the way a constraint would, after the parameters were sent.
  await deps.db.execute(sql`
    CREATE FUNCTION refuse_profile_edit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'profile edits are closed'
        USING ERRCODE = '23514', CONSTRAINT = 'users_profile_frozen_chk', TABLE = 'users';
    END $$`);
  await deps.db.execute(sql`
    CREATE TRIGGER users_profile_frozen BEFORE UPDATE OF bio ON users
    FOR EACH ROW EXECUTE FUNCTION refuse_profile_edit()`);
});
afterAll(() => deps.database.drop());

function capturedLogger() {
  const lines: string[] = [];
  return { log: createLogger('debug', (line) => lines.push(line)), lines };
}

describe('a failed query is logged by its codes, never by its parameters', () => {
  test('through a tRPC procedure: SQLSTATE, constraint and table, no SQL, no parameters', async () => {
    const { log, lines } = capturedLogger();
    const env = parseEnv({ DATABASE_URL: deps.database.url });
    const app = createApp({
      runtime: { deps, database: deps.database, redis: null, close: async () => {} },
      env,
      log,
    });
    const { token } = await createTestUser(deps);
    const response = await app.handle(
      new Request('http://localhost:3000/trpc/users.updateProfile', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: WEB,
          cookie: `${SESSION_COOKIE_NAME}=${token}`,
        },
        body: JSON.stringify({ json: { bio: SECRET } }),
      }),
    );
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain(SECRET);
    const failures = lines.filter((line) => line.includes('"procedure failed"'));
    expect(failures).toHaveLength(1);
    const entry = JSON.parse(failures[0]!);
    expect(entry).toMatchObject({
      level: 'error',
      path: 'users.updateProfile',
      sqlstate: '23514',
      constraint: 'users_profile_frozen_chk',
      table: 'users',
    });
    expect(entry.error).toContain('profile edits are closed');
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).not.toMatch(/Failed query|params:|update "users"/);
  });

  test('through any other route: a plain 500, and the value Postgres quotes is left out', async () => {
    const { log, lines } = capturedLogger();
    const app = new Elysia()
      .use(httpBasics({ origins: [WEB], hsts: false, trustProxy: false, log }))
      .get('/boom', () => deps.db.execute(sql`select ${SECRET}::int`));
    const response = await app.handle(new Request('http://localhost:3000/boom'));
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain('Something went wrong on our side');
    expect(body).not.toContain(SECRET);
    const entry = JSON.parse(lines.find((line) => line.includes('"request failed"'))!);
    expect(entry).toMatchObject({ path: '/boom', sqlstate: '22P02' });
    expect(entry.error).toContain('invalid input syntax for type integer');
    expect(lines.join('')).not.toContain(SECRET);
  });

  test('a unique violation keeps its constraint and drops the row values Postgres puts in its detail', async () => {
    const { user } = await createTestUser(deps);
    const failure = await deps.db
      .execute(sql`insert into users (username, email, password_hash, display_name, date_of_birth)
        values (${user.username}, ${SECRET}, ${SECRET}, ${SECRET}, '1990-01-01')`)
      .catch((error: unknown) => error);
    const fields = describeFailure(new Error('wrapped', { cause: failure }));
    expect(fields).toMatchObject({ sqlstate: '23505', constraint: 'users_username_key', table: 'users' });
    expect(JSON.stringify(fields)).not.toContain(SECRET);
    expect(JSON.stringify(fields)).not.toContain(user.username);
  });

  test('errors that are not the database keep their name and message', () => {
    expect(describeFailure(new TypeError('x is not a function'))).toEqual({
      error: 'TypeError: x is not a function',
    });
  });
});
