import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { TimelineEntry } from '../../api/types';

/** A timeline view as cached: the server's answer plus when we received it (the local clocks tick from there). */
export type Fetched<T> = T & { fetchedAt: number };

export function stamp<T>(value: T): Fetched<T> {
  return { ...value, fetchedAt: Date.now() };
}

/** The order people read a timeline in (the server's readableTimeline): drill time, wall time, seq. */
export function sortEntries(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => (a.drillTimeMs ?? 0) - (b.drillTimeMs ?? 0) || a.at.localeCompare(b.at) || a.seq - b.seq);
}

/** Adds an entry that arrived live to a cached view (once), marking the entry it corrects. */
export function mergeEntry<V extends { entries: TimelineEntry[] }>(view: V, entry: TimelineEntry): V {
  if (view.entries.some((e) => e.id === entry.id)) return view;
  const entries = view.entries.map((e) => (entry.correctsId && e.id === entry.correctsId ? { ...e, correctedBy: entry.id } : e));
  return { ...view, entries: sortEntries([...entries, { ...entry, correctedBy: entry.correctedBy ?? null }]) };
}

export type LiveState = 'connecting' | 'open' | 'retrying';

interface Options {
  /** e.g. /drills/ID/timeline — the stream is `${path}/stream`; null: not yet. */
  path: string | null;
  /** The cached view the entries are merged into. */
  viewKey: QueryKey;
  /** Query key prefixes refreshed (debounced) after each entry: escalation clocks, drill state, checklists. */
  refresh: QueryKey[];
  /** The highest seq already in the view when the stream opens. */
  afterSeq: number | undefined;
}

/**
 * Follows a timeline live through Server-Sent Events: each entry is merged into the cached view at once
 * (so it shows within the same frame), then the views that derive from it are refetched. EventSource resends
 * Last-Event-ID when it reconnects by itself; when the browser gives up (the stream answered an error), we
 * reopen it after a pause from the last seq we saw.
 */
export function useLiveTimeline({ path, viewKey, refresh, afterSeq }: Options): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const lastSeq = useRef<number>(0);
  const keys = useRef({ viewKey, refresh });
  keys.current = { viewKey, refresh };
  const ready = path !== null && afterSeq !== undefined;
  if (ready && lastSeq.current < afterSeq) lastSeq.current = afterSeq;

  useEffect(() => {
    if (!ready || !path) return undefined;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;

    const scheduleRefresh = () => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        for (const key of keys.current.refresh) void queryClient.invalidateQueries({ queryKey: key });
      }, 150);
    };

    const open = () => {
      if (closed) return;
      setState('connecting');
      source = new EventSource(`/api${path}/stream?after=${lastSeq.current}`);
      source.onopen = () => setState('open');
      source.addEventListener('entry', (event) => {
        let entry: TimelineEntry;
        try {
          entry = JSON.parse((event as MessageEvent<string>).data) as TimelineEntry;
        } catch {
          return;
        }
        if (entry.seq > lastSeq.current) lastSeq.current = entry.seq;
        queryClient.setQueryData<{ entries: TimelineEntry[] }>(keys.current.viewKey, (old) => (old ? mergeEntry(old, entry) : old));
        scheduleRefresh();
      });
      source.onerror = () => {
        if (!source || source.readyState !== EventSource.CLOSED) {
          setState('retrying');
          return;
        }
        setState('retrying');
        source.close();
        retryTimer = setTimeout(open, 3000);
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(refreshTimer);
      source?.close();
    };
  }, [ready, path, queryClient]);

  return state;
}

/** Re-renders every `ms` while `active`, returning Date.now(). */
export function useNow(active: boolean, ms = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return active ? now : Date.now();
}

/** Milliseconds as HH:MM:SS (negative values as -HH:MM:SS). */
export function formatClock(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Milliseconds as MM:SS under an hour, HH:MM:SS above. */
export function formatCountdown(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 3600_000) return formatClock(ms);
  const total = Math.floor(abs / 1000);
  return `${ms < 0 ? '-' : ''}${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Whole minutes, rounded to the nearest. */
export function minutes(ms: number): number {
  return Math.max(0, Math.round(ms / 60_000));
}
