/**
 * Sigma rules as Firedrill keeps them: the parsed YAML document (SigmaHQ rule specification v2, correlation
 * specification v2.1) plus its own text, so a stored rule can always be re-parsed and its errors located.
 */
import { AppError } from '../../../errors.js';

export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

/** A detection section: search identifiers (maps, lists of maps, keyword lists) and `condition`. */
export type SigmaDetection = Record<string, unknown> & { condition: string | string[] };

export const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'firedrill_new_value'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

export const COMPARISONS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface SigmaCorrelation {
  type: CorrelationType;
  /** Ids or names of the rules correlated (base rules or other correlations). */
  rules: string[];
  'group-by': string[];
  /** `30s`, `10m`, `24h`, `7d`. Optional only for firedrill_new_value. */
  timespan?: string;
  /** Count condition: a map of gt/gte/lt/lte/eq/neq (AND); `field` for value_count. */
  condition?: Partial<Record<Comparison, number>> & { field?: string };
  /** alias → { rule name → field name }. */
  aliases?: Record<string, Record<string, string>>;
  /** Whether the referenced rules also produce hits of their own (Sigma `generate`). */
  generate?: boolean;
  /** firedrill_new_value: the field whose values are new for a group. */
  field?: string;
  /** firedrill_new_value: how long at the start of the evidence is learnt, not reported (e.g. `24h`). */
  baseline?: string;
}

export interface SigmaRule {
  /** The rule's `id` (a UUID in SigmaHQ rules); derived from the document text when the rule has none. */
  id: string;
  /** Unique human-readable name, used by correlations (and by Firedrill) to refer to a rule. */
  name?: string;
  title: string;
  status?: string;
  description?: string;
  author?: string;
  references: string[];
  date?: string;
  modified?: string;
  level?: string;
  tags: string[];
  falsepositives: string[];
  license?: string;
  logsource: SigmaLogsource;
  detection?: SigmaDetection;
  correlation?: SigmaCorrelation;
  /** The YAML text of this rule's document. */
  source: string;
}

/** One finding of a rule over an incident's events. */
export interface RuleHit {
  ruleId: string;
  name?: string;
  title: string;
  level?: string;
  tags: string[];
  /** The rule's author: the Detection Rule License asks views showing matches to credit it. */
  author?: string;
  /** Matched events (all of them for a detection rule; of the group and window for a correlation). */
  count: number;
  firstTime: string | null;
  lastTime: string | null;
  /** A correlation's group-by values (and, for firedrill_new_value, the new value). */
  groupKey?: Record<string, string>;
  /** The matched events' ids in time order, at most `maxEventIds` of them (`count` has the total). */
  eventIds: number[];
}

export type RuleErrorCode = 'rule_invalid' | 'rule_unsupported' | 'rule_field_unknown' | 'rule_timeout' | 'rule_failed';

/** A rule that cannot be parsed, compiled or run. `params` name the rule, the field path and the line. */
export class RuleError extends AppError {
  constructor(code: RuleErrorCode, message: string, params: Record<string, unknown>) {
    super(code, code === 'rule_failed' ? 500 : code === 'rule_timeout' ? 422 : 400, message, params);
  }
}
