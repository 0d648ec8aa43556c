import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppendEntryBody, ChecklistItem, Transition, WritableKind } from '../../api/types';
import { WRITABLE_KINDS } from '../../api/types';
import { useLiveTimeline } from '../timeline/live';
import { addDrillEntry, drillKeys, fireInject, maxSeq, transitionDrill, useDrill, useDrillChecklist, useDrillTimeline } from './api';

/**
 * Everything a live drill page needs: the drill (with the caller's abilities), its timeline and escalation
 * clocks, checklists, the live stream that keeps them current, and the writes.
 */
export function useLiveDrill(id: string) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const drill = useDrill(id);
  const timeline = useDrillTimeline(id);
  const checklist = useDrillChecklist(id, !!drill.data?.planVersionId);
  const live = useLiveTimeline({
    path: `/drills/${id}/timeline`,
    viewKey: drillKeys.timeline(id),
    refresh: [drillKeys.one(id)],
    afterSeq: maxSeq(timeline.data?.entries),
  });

  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: drillKeys.one(id) }), [queryClient, id]);
  const abilities = drill.data?.abilities ?? [];
  const kinds: WritableKind[] = WRITABLE_KINDS.filter((k) => abilities.includes(`write:${k}`));

  const transition = useCallback(
    async (name: Transition) => {
      await transitionDrill(id, name);
      await refresh();
    },
    [id, refresh],
  );
  const addEntry = useCallback((body: AppendEntryBody) => addDrillEntry(id, body), [id]);
  const fire = useCallback(
    async (injectId: string) => {
      await fireInject(id, injectId);
      await refresh();
    },
    [id, refresh],
  );
  const tick = useCallback(
    (item: ChecklistItem, done: boolean) =>
      addDrillEntry(id, { kind: 'action', text: done ? t('checklist.tickText', { text: item.text }) : t('checklist.untickText', { text: item.text }), data: { checklist: { itemKey: item.key, done } } }),
    [id, t],
  );

  const actorNames = new Map((drill.data?.participants ?? []).filter((p) => p.userId).map((p) => [p.userId!, p.name]));

  return { actorNames, drill, timeline, checklist, live, abilities, kinds, transition, addEntry, fire, tick, refresh };
}
