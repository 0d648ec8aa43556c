import { z } from 'zod';
import { CorrectiveAction } from '../actions/schema.js';
import { DRILL_MODES, DRILL_STATUSES } from '../drills/schema.js';

export const DashboardQuery = z.strictObject({
  /** The calendar year (China time); default: this year. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const Count = z.number().int().min(0);

/** One drill run in the year, with the figures its evaluation starts from. */
export const DashboardDrill = z.object({
  id: z.uuid(),
  title: z.string(),
  status: z.enum(DRILL_STATUSES),
  mode: z.enum(DRILL_MODES),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  /** Always true: drills are exercises (【演练】), never real incidents. */
  exercise: z.literal(true),
  /** Drill time in milliseconds, pauses excluded; null until the milestone is on the timeline. */
  timeToDetectMs: z.number().nullable(),
  timeToFirstReportMs: z.number().nullable(),
  timeToContainMs: z.number().nullable(),
  timeToRecoverMs: z.number().nullable(),
  totalDurationMs: z.number().nullable(),
  escalations: z.object({ applicable: Count, met: Count, late: Count, missed: Count }),
  injects: z.object({ delivered: Count, answered: Count, answeredInTime: Count }),
  /** The objectives' ratings (the most cautious rating of each objective counts). */
  objectives: z.object({ total: Count, met: Count, partlyMet: Count, notMet: Count, unrated: Count }),
});
export type DashboardDrill = z.infer<typeof DashboardDrill>;

export const Dashboard = z.object({
  year: z.number().int(),
  /** The year's programme (年度演练计划): items by state on today's date. */
  programme: z.object({ total: Count, planned: Count, due: Count, overdue: Count, done: Count }),
  /** The drills started in the year, oldest first (the order of a trend). */
  drills: z.array(DashboardDrill),
  /** Every corrective action as it stands today (a backlog, not bounded by the year). */
  correctiveActions: z.object({
    total: Count,
    open: Count,
    inProgress: Count,
    /** Done and awaiting verification. */
    done: Count,
    verified: Count,
    overdue: Count,
    /** The overdue ones, soonest due first. */
    overdueList: z.array(CorrectiveAction),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;
