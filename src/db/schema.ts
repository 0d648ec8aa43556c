// Every table, for Drizzle and drizzle-kit. Modules own their tables; this file only gathers them.
export * from '../modules/auth/schema.js';
export * from '../modules/audit/schema.js';
export * from '../modules/org/schema.js';
