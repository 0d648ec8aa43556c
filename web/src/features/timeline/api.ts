import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Localized, Taxonomy } from '../../api/types';
import { currentLocale } from '../../i18n';

/** The GB/T 20986-2023 taxonomy and report fields; fixed while the server runs. */
export function useTaxonomy() {
  return useQuery({ queryKey: ['incident-taxonomy'], queryFn: () => api<Taxonomy>('/incident-taxonomy'), staleTime: Infinity });
}

/** A bilingual text in the interface language. */
export function loc(text: Localized | undefined | null): string {
  if (!text) return '';
  return text[currentLocale()] || text['zh-CN'] || text.en;
}

/** Label helpers over the taxonomy (the key itself while it loads or when unknown). */
export function taxonomyLabels(taxonomy: Taxonomy | undefined) {
  return {
    field: (key: string) => loc(taxonomy?.reportFields.find((f) => f.key === key)?.name) || key,
    category: (key: string | null | undefined) => (key ? loc(taxonomy?.categories.find((c) => c.key === key)?.name) || key : ''),
    subcategory: (category: string | null | undefined, key: string | null | undefined) =>
      key ? loc(taxonomy?.categories.find((c) => c.key === category)?.subcategories.find((s) => s.key === key)?.name) || key : '',
    level: (level: string | null | undefined) => (level ? `${level} · ${loc(taxonomy?.levels.find((l) => l.level === level)?.name) || level}` : ''),
  };
}
