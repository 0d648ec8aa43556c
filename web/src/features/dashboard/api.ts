import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { CorrectiveAction } from '../actions/api';

export interface DashboardDrill {
  id: string;
  title: string;
  status: string;
  mode: string;
  startedAt: string;
  endedAt: string | null;
  exercise: true;
  timeToDetectMs: number | null;
  timeToFirstReportMs: number | null;
  timeToContainMs: number | null;
  timeToRecoverMs: number | null;
  totalDurationMs: number | null;
  escalations: { applicable: number; met: number; late: number; missed: number };
  injects: { delivered: number; answered: number; answeredInTime: number };
  objectives: { total: number; met: number; partlyMet: number; notMet: number; unrated: number };
}

export interface Dashboard {
  year: number;
  programme: { total: number; planned: number; due: number; overdue: number; done: number };
  drills: DashboardDrill[];
  correctiveActions: { total: number; open: number; inProgress: number; done: number; verified: number; overdue: number; overdueList: CorrectiveAction[] };
}

export const dashboardKey = (year?: number) => ['dashboard', year ?? 'this-year'] as const;

/** GET /api/dashboard?year: the year across drills (this year by default). */
export function useDashboard(year?: number) {
  return useQuery({ queryKey: dashboardKey(year), queryFn: () => api<Dashboard>('/dashboard', { query: { year } }) });
}
