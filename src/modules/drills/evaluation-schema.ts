import { jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';
import { drills } from './schema.js';
import { DrillMetrics } from './metrics.js';

export const RATINGS = ['met', 'partly_met', 'not_met'] as const;
export type Rating = (typeof RATINGS)[number];
export const ratingEnum = pgEnum('objective_rating', RATINGS);
export const LESSON_KINDS = ['went_well', 'to_improve', 'accountability'] as const;
export const lessonKind = pgEnum('lesson_kind', LESSON_KINDS);

export interface Indicator {
  text: string;
  /** Relative weight of the indicator in the objective's score. */
  weight: number;
  /** 0–100. */
  score: number;
}

/** One evaluator's rating of one objective of a drill (observer evaluation form), with the evidence behind it. */
export const objectiveRatings = pgTable(
  'objective_ratings',
  {
    ...baseColumns,
    drillId: uuid()
      .notNull()
      .references(() => drills.id),
    objectiveKey: text().notNull(),
    rating: ratingEnum().notNull(),
    evidence: text().notNull(),
    indicators: jsonb().$type<Indicator[]>().notNull().default([]),
    raterId: uuid(),
    raterName: text().notNull(),
  },
  (t) => [uniqueIndex().on(t.drillId, t.objectiveKey, t.raterName)],
);

/** 经验教训 and 问责: what went well, what to improve, accountability notes. */
export const drillLessons = pgTable('drill_lessons', {
  ...baseColumns,
  drillId: uuid()
    .notNull()
    .references(() => drills.id),
  kind: lessonKind().notNull(),
  text: text().notNull(),
  authorName: text().notNull(),
});

export const RateObjectiveBody = z.strictObject({
  rating: z.enum(RATINGS),
  evidence: safeText(5000).min(1),
  indicators: z
    .array(z.strictObject({ text: safeText(500).min(1), weight: z.number().positive().max(100), score: z.number().min(0).max(100) }))
    .max(20)
    .optional(),
});
export type RateObjectiveBody = z.infer<typeof RateObjectiveBody>;
export const AddLessonBody = z.strictObject({ kind: z.enum(LESSON_KINDS), text: safeText(5000).min(1) });
export type AddLessonBody = z.infer<typeof AddLessonBody>;
export const ObjectiveParams = z.strictObject({ drillId: z.uuid(), objectiveKey: safeText(80) });

export const ObjectiveEvaluation = z.object({
  key: z.string(),
  text: z.string(),
  criterion: z.string(),
  ratings: z.array(
    z.object({ rating: z.enum(RATINGS), evidence: z.string(), indicators: z.array(z.object({ text: z.string(), weight: z.number(), score: z.number() })), score: z.number().nullable(), raterName: z.string(), updatedAt: z.iso.datetime() }),
  ),
  /** The most cautious rating given (not met < partly met < met); null until rated. */
  rating: z.enum(RATINGS).nullable(),
  /** Mean of the raters' weighted indicator scores (0–100); null without indicators. */
  score: z.number().nullable(),
});
export const Evaluation = z.object({
  objectives: z.array(ObjectiveEvaluation),
  lessons: z.array(z.object({ id: z.uuid(), kind: z.enum(LESSON_KINDS), text: z.string(), authorName: z.string(), createdAt: z.iso.datetime() })),
  metrics: DrillMetrics,
});
export type Evaluation = z.infer<typeof Evaluation>;
