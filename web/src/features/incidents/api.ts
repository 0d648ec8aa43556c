import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Incident, IncidentTimelineView } from '../../api/types';
import { stamp, type Fetched } from '../timeline/live';

export const incidentKeys = {
  all: ['incidents'] as const,
  list: (drills: string) => ['incidents', 'list', drills] as const,
  one: (id: string) => ['incidents', id] as const,
  timeline: (id: string) => ['incidents', id, 'timeline'] as const,
};

export function useIncidents(drills: 'exclude' | 'include') {
  return useQuery({ queryKey: incidentKeys.list(drills), queryFn: () => api<{ incidents: Incident[] }>('/incidents', { query: { drills } }), select: (d) => d.incidents });
}

export function useIncidentTimeline(id: string, enabled: boolean) {
  return useQuery<Fetched<IncidentTimelineView>>({
    queryKey: incidentKeys.timeline(id),
    queryFn: async () => stamp(await api<IncidentTimelineView>(`/incidents/${id}/timeline`)),
    enabled,
    refetchInterval: 30_000,
    staleTime: 0,
  });
}
