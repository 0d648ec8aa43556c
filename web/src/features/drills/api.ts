import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AppendEntryBody, ChecklistItem, Drill, DrillSummary, DrillTimelineView, Inject, InjectBody, TimelineEntry, Transition } from '../../api/types';
import { stamp, type Fetched } from '../timeline/live';

export const drillKeys = {
  all: ['drills'] as const,
  list: ['drills', 'list'] as const,
  one: (id: string) => ['drills', id] as const,
  detail: (id: string) => ['drills', id, 'detail'] as const,
  timeline: (id: string) => ['drills', id, 'timeline'] as const,
  checklist: (id: string) => ['drills', id, 'checklist'] as const,
};

export function useDrills() {
  return useQuery({ queryKey: drillKeys.list, queryFn: () => api<{ drills: DrillSummary[] }>('/drills'), select: (d) => d.drills });
}

export function useDrill(id: string) {
  return useQuery({ queryKey: drillKeys.detail(id), queryFn: async () => stamp(await api<Drill>(`/drills/${id}`)) });
}

export function useDrillTimeline(id: string, enabled = true) {
  return useQuery<Fetched<DrillTimelineView>>({
    queryKey: drillKeys.timeline(id),
    queryFn: async () => stamp(await api<DrillTimelineView>(`/drills/${id}/timeline`)),
    enabled,
    // The live stream keeps it fresh; this only repairs a missed refresh.
    refetchInterval: 30_000,
    staleTime: 0,
  });
}

export function useDrillChecklist(id: string, enabled = true) {
  return useQuery({ queryKey: drillKeys.checklist(id), queryFn: () => api<{ items: ChecklistItem[] }>(`/drills/${id}/checklist`), select: (d) => d.items, enabled });
}

export function transitionDrill(id: string, transition: Transition) {
  return api<Drill>(`/drills/${id}/transitions/${transition}`, { method: 'POST' });
}

export function addDrillEntry(id: string, body: AppendEntryBody) {
  return api<TimelineEntry>(`/drills/${id}/timeline`, { method: 'POST', body });
}

export function fireInject(id: string, injectId: string) {
  return api<TimelineEntry>(`/drills/${id}/injects/${injectId}/fire`, { method: 'POST' });
}

export function addInject(id: string, body: InjectBody) {
  return api<Inject>(`/drills/${id}/injects`, { method: 'POST', body });
}

/** The highest seq in a view (where the live stream starts). */
export function maxSeq(entries: TimelineEntry[] | undefined): number | undefined {
  if (!entries) return undefined;
  return entries.reduce((max, e) => Math.max(max, e.seq), 0);
}
