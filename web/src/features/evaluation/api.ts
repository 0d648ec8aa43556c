import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export const RATINGS = ['met', 'partly_met', 'not_met'] as const;
export type Rating = (typeof RATINGS)[number];
export const LESSON_KINDS = ['went_well', 'to_improve', 'accountability'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

export interface Indicator {
  text: string;
  weight: number;
  score: number;
}

export interface ObjectiveRating {
  rating: Rating;
  evidence: string;
  indicators: Indicator[];
  score: number | null;
  raterName: string;
  updatedAt: string;
}

export interface ObjectiveEvaluation {
  key: string;
  text: string;
  criterion: string;
  ratings: ObjectiveRating[];
  rating: Rating | null;
  score: number | null;
}

export interface Lesson {
  id: string;
  kind: LessonKind;
  text: string;
  authorName: string;
  createdAt: string;
}

export interface DrillMetrics {
  timeToDetectMs: number | null;
  timeToFirstReportMs: number | null;
  timeToContainMs: number | null;
  timeToRecoverMs: number | null;
  totalDurationMs: number | null;
  reports: { ruleKey: string; recipient: string; tookMs: number | null; state: string }[];
  injects: { delivered: number; answered: number; answeredInTime: number };
  escalations: { applicable: number; met: number; late: number; missed: number };
}

export interface Evaluation {
  objectives: ObjectiveEvaluation[];
  lessons: Lesson[];
  metrics: DrillMetrics;
}

export const evaluationKey = (drillId: string) => ['drills', drillId, 'evaluation'] as const;

export function useEvaluation(drillId: string) {
  return useQuery({ queryKey: evaluationKey(drillId), queryFn: () => api<Evaluation>(`/drills/${drillId}/evaluation`) });
}

export function rateObjective(drillId: string, key: string, body: { rating: Rating; evidence: string; indicators?: Indicator[] }) {
  return api<Evaluation>(`/drills/${drillId}/evaluation/objectives/${encodeURIComponent(key)}`, { method: 'PUT', body });
}

export function addLesson(drillId: string, body: { kind: LessonKind; text: string }) {
  return api<Evaluation>(`/drills/${drillId}/evaluation/lessons`, { method: 'POST', body });
}

/** Milliseconds as whole minutes (one decimal under ten), "—" when unknown. */
export function minutes(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const m = ms / 60_000;
  return m < 10 ? String(Math.round(m * 10) / 10) : String(Math.round(m));
}

export const RATING_COLORS: Record<Rating, string> = { met: 'green', partly_met: 'orange', not_met: 'red' };
