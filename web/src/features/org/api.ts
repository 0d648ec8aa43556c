import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import i18n from '../../i18n';
import type { ArchivedFilter, Contact, Group, Person } from '../../api/types';

export const orgKeys = {
  all: ['org'] as const,
  people: (params: { q?: string; archived: ArchivedFilter; limit: number; offset: number }) => ['org', 'people', params] as const,
  activePeople: ['org', 'people', 'active-options'] as const,
  groups: (archived: ArchivedFilter) => ['org', 'groups', archived] as const,
  contacts: (archived: ArchivedFilter) => ['org', 'on-call', archived] as const,
};

export function listPeople(params: { q?: string; archived: ArchivedFilter; limit: number; offset: number }) {
  return api<{ people: Person[]; total: number }>('/people', { query: params });
}

/** Active people for pickers (group leader and members, on-call contacts). */
export function useActivePeople() {
  return useQuery({
    queryKey: orgKeys.activePeople,
    queryFn: () => listPeople({ archived: 'false', limit: 500, offset: 0 }),
    select: (data) => data.people,
  });
}

export function listGroups(archived: ArchivedFilter) {
  return api<{ groups: Group[] }>('/groups', { query: { archived } });
}

export function listContacts(archived: ArchivedFilter) {
  return api<{ contacts: Contact[] }>('/on-call', { query: { archived } });
}

/** A person as a picker label: 张三（研发部 · 组长）. */
export function personLabel(person: Pick<Person, 'name' | 'department' | 'title'>): string {
  const extra = [person.department, person.title].filter(Boolean).join(' · ');
  return extra ? `${person.name}${i18n.t('common.parenthetical', { text: extra })}` : person.name;
}
