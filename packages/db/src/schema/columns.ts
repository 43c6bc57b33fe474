import { timestamp } from 'drizzle-orm/pg-core';

/** Shared `created_at` / `updated_at` columns; `updated_at` is refreshed by Drizzle on every update. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

export const createdAt = timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
