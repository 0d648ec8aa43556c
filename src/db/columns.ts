import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every table's id and timestamps (CONVENTIONS §6). */
export const baseColumns = {
  id: uuid().primaryKey().defaultRandom(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};

export const timestamptz = () => timestamp({ withTimezone: true });
