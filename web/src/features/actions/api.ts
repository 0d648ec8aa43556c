import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'verified'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_PRIORITIES = ['high', 'medium', 'low'] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];
export const ACTION_SOURCES = ['finding', 'lesson', 'objective', 'other'] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];
export type ActionTransition = 'start' | 'complete' | 'reopen' | 'verify';

export interface CorrectiveAction {
  id: string;
  title: string;
  description: string;
  drillId: string | null;
  incidentId: string | null;
  sourceKind: ActionSource;
  sourceRef: string | null;
  owner: { personId: string; name: string };
  dueDate: string;
  priority: ActionPriority;
  status: ActionStatus;
  overdue: boolean;
  doneAt: string | null;
  doneNote: string | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  verificationEvidence: string | null;
  createdAt: string;
}

export interface ActionFilters {
  drillId?: string;
  status?: ActionStatus;
  overdue?: 'true' | 'false';
}

export const actionKeys = {
  all: ['corrective-actions'] as const,
  list: (filters: ActionFilters) => ['corrective-actions', filters] as const,
};

export function useActions(filters: ActionFilters) {
  return useQuery({
    queryKey: actionKeys.list(filters),
    queryFn: () => api<{ actions: CorrectiveAction[] }>('/corrective-actions', { query: { ...filters } }),
    select: (d) => d.actions,
  });
}

export interface CreateActionBody {
  title: string;
  description?: string;
  drillId?: string;
  sourceKind?: ActionSource;
  ownerPersonId: string;
  dueDate: string;
  priority?: ActionPriority;
}

export function createAction(body: CreateActionBody) {
  return api<CorrectiveAction>('/corrective-actions', { method: 'POST', body });
}

export function transitionAction(id: string, transition: ActionTransition, note?: string) {
  return api<CorrectiveAction>(`/corrective-actions/${id}/transitions/${transition}`, { method: 'POST', body: note ? { note } : {} });
}

export const ACTION_STATUS_COLORS: Record<ActionStatus, string> = { open: 'default', in_progress: 'processing', done: 'blue', verified: 'green' };
export const PRIORITY_COLORS: Record<ActionPriority, string> = { high: 'red', medium: 'orange', low: 'default' };

export interface UpdateActionBody {
  title?: string;
  description?: string;
  ownerPersonId?: string;
  dueDate?: string;
  priority?: ActionPriority;
}

export function updateAction(id: string, body: UpdateActionBody) {
  return api<CorrectiveAction>(`/corrective-actions/${id}`, { method: 'PATCH', body });
}

/** Which transition moves an action from one status (column) to another; undefined: no such move. */
export const MOVES: Record<ActionStatus, Partial<Record<ActionStatus, ActionTransition>>> = {
  open: { in_progress: 'start', done: 'complete' },
  in_progress: { done: 'complete' },
  done: { in_progress: 'reopen', verified: 'verify' },
  verified: {},
};

/** Completing and verifying need a note (what was done; the evidence it works). */
export const NEEDS_NOTE: ReadonlySet<ActionTransition> = new Set(['complete', 'verify']);
