import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Plan, PlanContent, PlanDiffChange, PlanSummary, PlanVersion } from '../../api/types';

export const planKeys = {
  all: ['plans'] as const,
  list: ['plans', 'list'] as const,
  one: (id: string) => ['plans', id] as const,
  version: (id: string, n: number) => ['plans', id, 'version', n] as const,
  diff: (id: string, from: number, to: number) => ['plans', id, 'diff', from, to] as const,
};

export const EMPTY_CONTENT: PlanContent = { guidingPrinciple: '', scope: '', groupIds: [], procedures: [], escalationRules: [], contacts: [] };

export function usePlans() {
  return useQuery({ queryKey: planKeys.list, queryFn: () => api<{ plans: PlanSummary[] }>('/plans'), select: (d) => d.plans });
}

export function usePlan(id: string) {
  return useQuery({ queryKey: planKeys.one(id), queryFn: () => api<Plan>(`/plans/${id}`) });
}

export function usePlanVersion(id: string, n: number | undefined) {
  return useQuery({ queryKey: planKeys.version(id, n ?? 0), queryFn: () => api<PlanVersion>(`/plans/${id}/versions/${n}`), enabled: n !== undefined });
}

export function usePlanDiff(id: string, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: planKeys.diff(id, from ?? 0, to ?? 0),
    queryFn: () => api<{ changes: PlanDiffChange[] }>(`/plans/${id}/diff`, { query: { from, to } }),
    enabled: from !== undefined && to !== undefined && from !== to,
    select: (d) => d.changes,
  });
}
