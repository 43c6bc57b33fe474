/**
 * What a log line may say about a failure: error names, messages and the database's codes, never a query's
 * parameters or a row's values. Drizzle's `DrizzleQueryError` puts the SQL and every parameter (a password hash,
 * a whisper) in its message, and tRPC copies a cause's message into its own, so a query error is logged through
 * its Postgres cause: SQLSTATE, constraint, table, column and the server's message.
 */

/** How far down a chain of causes to look. */
const MAX_CAUSES = 5;

type PostgresFields = { sqlstate: string; constraint?: string; table?: string; column?: string };

export type FailureFields = { error: string } & Partial<PostgresFields>;

export function describeFailure(failure: unknown): FailureFields {
  const chain = causes(failure);
  const query = chain.find(isQueryError);
  const messages: string[] = [];
  let database: PostgresFields | undefined;
  for (const error of chain) {
    if (isQueryError(error)) {
      messages.push('database query failed');
    } else if (error instanceof Error) {
      const fields = postgresFields(error);
      if (fields) {
        database ??= fields;
        messages.push(withoutValues(error.message));
      } else if (!query || !error.message.includes(query.message)) {
        messages.push(`${error.name}: ${error.message}`);
      }
    } else {
      messages.push(String(error));
    }
  }
  return { error: messages.join(' ← '), ...database };
}

function causes(failure: unknown): unknown[] {
  const chain = [failure];
  let current = failure;
  while (chain.length < MAX_CAUSES && current instanceof Error && current.cause !== undefined) {
    current = current.cause;
    chain.push(current);
  }
  return chain;
}

/** Drizzle's wrapper around a failed query: it carries the SQL text and its parameters. */
function isQueryError(error: unknown): error is Error & { query: string; params: unknown[] } {
  return error instanceof Error && 'query' in error && 'params' in error;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** A server error (it has a severity); Bun's `PostgresError` keeps the SQLSTATE in `errno`, PGlite's in `code`. */
function postgresFields(error: Error): PostgresFields | null {
  const fields = error as Error & Record<string, unknown>;
  if (typeof fields.severity !== 'string') return null;
  const sqlstate = [fields.errno, fields.code].find(
    (value) => typeof value === 'string' && SQLSTATE.test(value),
  );
  if (typeof sqlstate !== 'string') return null;
  const text = (key: string) => (typeof fields[key] === 'string' ? { [key]: fields[key] as string } : {});
  return { sqlstate, ...text('constraint'), ...text('table'), ...text('column') };
}

/** Postgres quotes the offending input at the end of some messages (`invalid input syntax for type uuid: "…"`). */
function withoutValues(message: string): string {
  return message.replace(/: ".*"$/s, ': "…"');
}
