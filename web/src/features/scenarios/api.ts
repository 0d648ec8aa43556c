import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Scenario, ScenarioSummary } from '../../api/types';

export const scenarioKeys = {
  all: ['scenarios'] as const,
  list: ['scenarios', 'list'] as const,
  one: (id: string) => ['scenarios', id] as const,
};

export function useScenarios() {
  return useQuery({ queryKey: scenarioKeys.list, queryFn: () => api<{ scenarios: ScenarioSummary[] }>('/scenarios'), select: (d) => d.scenarios });
}

export function useScenario(id: string | undefined) {
  return useQuery({ queryKey: scenarioKeys.one(id ?? ''), queryFn: () => api<Scenario>(`/scenarios/${id}`), enabled: !!id });
}

export function fetchScenario(id: string) {
  return api<Scenario>(`/scenarios/${id}`);
}
