import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** A detection rule as GET /api/rules lists it (bundled with Firedrill, or uploaded by a user). */
export interface RuleSummary {
  id: string;
  name: string | null;
  title: string;
  /** The Chinese title (a bundled rule's translation; else the rule's own title). */
  titleZh: string;
  level: string | null;
  status: string | null;
  description: string | null;
  author: string | null;
  tags: string[];
  origin: 'bundled' | 'custom';
  enabled: boolean;
  correlation: string | null;
  /** The rule's YAML. */
  source: string;
}

/** The company's detection settings: placeholder values (%admin_accounts% …), switched-off bundled rules, time zone. */
export interface DetectionSettings {
  placeholders: Record<string, string[]>;
  disabledRules: string[];
  timeZone: string;
}

export const ruleKeys = {
  all: ['rules'] as const,
  list: ['rules', 'list'] as const,
  settings: ['rules', 'settings'] as const,
};

export function useRules() {
  return useQuery({ queryKey: ruleKeys.list, queryFn: () => api<{ rules: RuleSummary[] }>('/rules'), select: (d) => d.rules });
}

export function useDetectionSettings() {
  return useQuery({ queryKey: ruleKeys.settings, queryFn: () => api<DetectionSettings>('/detection-settings') });
}

export function addRule(source: string) {
  return api<{ rules: RuleSummary[] }>('/rules', { method: 'POST', body: { source } });
}

export function setRuleEnabled(ruleId: string, enabled: boolean) {
  return api<RuleSummary>(`/rules/${encodeURIComponent(ruleId)}`, { method: 'PATCH', body: { enabled } });
}

export function deleteRule(ruleId: string) {
  return api<void>(`/rules/${encodeURIComponent(ruleId)}`, { method: 'DELETE' });
}

export function updateDetectionSettings(body: { placeholders?: Record<string, string[]>; timeZone?: string }) {
  return api<DetectionSettings>('/detection-settings', { method: 'PUT', body });
}

/** The title to show: the Chinese one when the interface is in Chinese and the API gave one, else the rule's own. */
export function ruleTitle(rule: Pick<RuleSummary, 'title' | 'titleZh'>, language: string): string {
  return language === 'en' ? rule.title : rule.titleZh || rule.title;
}
