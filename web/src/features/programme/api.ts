import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ProgrammeItem } from '../../api/types';

export const programmeKeys = { all: ['programme'] as const, year: (year: number) => ['programme', year] as const };

export function useProgramme(year: number) {
  return useQuery({ queryKey: programmeKeys.year(year), queryFn: () => api<{ items: ProgrammeItem[] }>('/programme', { query: { year } }), select: (d) => d.items });
}

export const PROGRAMME_STATE_COLORS = { planned: 'default', due: 'gold', overdue: 'red', done: 'green' } as const;
