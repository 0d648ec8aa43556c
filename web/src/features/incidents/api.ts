import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Incident, IncidentTimelineView, ReportingPreset } from '../../api/types';
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

export const reportingPresetKeys = {
  all: ['reporting-presets'] as const,
};

/** The company's regulator reporting deadlines (one active), shortest first. */
export function useReportingPresets() {
  return useQuery({ queryKey: reportingPresetKeys.all, queryFn: () => api<{ presets: ReportingPreset[] }>('/reporting-presets'), select: (d) => d.presets });
}

export type ReportingPresetPatch = Partial<Pick<ReportingPreset, 'withinMinutes' | 'minLevel' | 'recipient'>> & { active?: true };

export function updateReportingPreset(key: string, body: ReportingPresetPatch) {
  return api<ReportingPreset>(`/reporting-presets/${encodeURIComponent(key)}`, { method: 'PATCH', body });
}
