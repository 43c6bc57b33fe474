import { customType, timestamp } from 'drizzle-orm/pg-core';

/** Shared `created_at` / `updated_at` columns; `updated_at` is refreshed by Drizzle on every update. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

export const createdAt = timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A jsonb column whose value reaches the driver as it is. Bun's Postgres client encodes an object bound to a jsonb
 * parameter as JSON, but a string as a JSON string; Drizzle's own `jsonb` stringifies first, so every object would
 * be stored as a string (and `->>` in SQL would find nothing). PGlite takes objects the same way.
 */
export const jsonb = customType<{ data: unknown; driverData: unknown }>({
  dataType: () => 'jsonb',
  toDriver: (value) => value,
  fromDriver: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
});
