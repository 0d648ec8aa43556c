// Every table, for Drizzle and drizzle-kit. Modules own their tables; this file only gathers them.
export * from '../modules/auth/schema.js';
export * from '../modules/audit/schema.js';
export * from '../modules/org/schema.js';
export * from '../modules/plans/schema.js';
export * from '../modules/scenarios/schema.js';
export * from '../modules/timeline/schema.js';
export * from '../modules/drills/schema.js';
export * from '../modules/incidents/schema.js';
export * from '../modules/programme/schema.js';
export * from '../modules/actions/schema.js';
export * from '../modules/drills/evaluation-schema.js';
export * from '../modules/evidence/schema.js';
