import type { Executor } from '@app/db/client';

/**
 * A query every request runs, built once per database instead of once per call: Drizzle's builder costs more
 * than the query itself takes on a warm connection (`bun run bench:queries`). `build` makes it with
 * `sql.placeholder` for what varies and ends in `.prepare(name)`.
 */
export function builtOnce<T>(build: (db: Executor) => T): (db: Executor) => T {
  const built = new WeakMap<Executor, T>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
