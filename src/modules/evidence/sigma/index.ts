/**
 * Sigma detection rules over the normalized event table (evidence_events): parse and check rules (SigmaHQ rule
 * specification v2, correlations v2.1), compile them to parameterised SQL, run them per incident.
 * Public SigmaHQ rules run unchanged where their log source is one Firedrill parses (see fields.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../paths.js';
import { checkRule } from './compile.js';
import { parseSigmaRules as parseRules } from './parse.js';
import type { SigmaRule } from './types.js';

export { compileRule, DEFAULT_PLACEHOLDERS, type CompiledRule, type CompileOptions } from './compile.js';
export { SIGMA_FIELD_MAP, resolveLogsource } from './fields.js';
export { runRules, runRulesReport, rulesToRun, type RunOptions, type RuleRunReport, type RuleRunError } from './run.js';
export { RuleError, type RuleHit, type SigmaRule, type SigmaCorrelation, type SigmaLogsource } from './types.js';

/**
 * Parses a YAML text of one or more Sigma rules and checks each: structure, modifiers, condition, field names
 * for its log source, regular expressions. Throws RuleError `rule_invalid` (or `rule_field_unknown`,
 * `rule_unsupported`) naming the field and line. Placeholder values and rules referred to from other files are
 * checked when the rule is compiled.
 */
export function parseSigmaRules(yamlText: string): SigmaRule[] {
  const rules = parseRules(yamlText);
  for (const rule of rules) checkRule(rule, rules);
  return rules;
}

/** The shipped rules folder; in a build the YAML files stay in src/ (they are data, not code). */
export const bundledRulesFolder = join(packageRoot, 'src', 'modules', 'evidence', 'rules');

let bundled: SigmaRule[] | undefined;

/** Firedrill's bundled rules (src/modules/evidence/rules/*.yml), each with a `name` to refer to it by. */
export function bundledRules(): SigmaRule[] {
  bundled ??= readdirSync(bundledRulesFolder)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .flatMap((f) => parseSigmaRules(readFileSync(join(bundledRulesFolder, f), 'utf8')));
  return bundled;
}
