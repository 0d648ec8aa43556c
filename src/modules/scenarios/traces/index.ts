/**
 * Technical injects: for a drill window, an evidence bundle of realistic log files with the attacker's traces
 * woven into normal activity, and the ground truth of what the team should find. Deterministic: the same
 * scenario, seed, window, zone and options give byte-identical files.
 */
import { ValidationError } from '../../../errors.js';
import { BundleBuilder } from './bundle.js';
import { Zone } from './clock.js';
import { Random } from './random.js';
import type { ScenarioGenerator } from './scenario.js';
import { dataLeak } from './scenarios/data-leak.js';
import { ddos } from './scenarios/ddos.js';
import { insiderMisuse } from './scenarios/insider-misuse.js';
import { phishingAccountTakeover } from './scenarios/phishing-account-takeover.js';
import { ransomware } from './scenarios/ransomware.js';
import { seedPasswordLeak } from './scenarios/seed-password-leak.js';
import { websiteDefacement } from './scenarios/website-defacement.js';
import type { GenerateTracesOptions, TraceBundle } from './types.js';

export type * from './types.js';
export { BUNDLED_RULES } from './types.js';
export { scoreFindings } from './score.js';
export type { FindingEvent, ScoreFinding, ScoreOptions, ScoreResult, StepScore } from './score.js';

const GENERATORS: readonly ScenarioGenerator[] = [seedPasswordLeak, ransomware, phishingAccountTakeover, websiteDefacement, dataLeak, ddos, insiderMisuse];

/** The scenario keys that have a trace generator (the shipped library's seven). */
export const TRACE_SCENARIO_KEYS: readonly string[] = GENERATORS.map((g) => g.key);

/**
 * Generates the evidence bundle of a scenario for a drill window.
 * Throws `trace_scenario_unknown` for a scenario without a generator, `trace_window_invalid` when the window is
 * empty or not finite, `trace_time_zone_invalid` for an unknown zone, `trace_scale_invalid` outside 0.1–50.
 */
export function generateTraces(scenarioKey: string, options: GenerateTracesOptions): TraceBundle {
  const generator = GENERATORS.find((g) => g.key === scenarioKey);
  if (!generator) {
    throw new ValidationError('trace_scenario_unknown', `No trace generator for scenario ${scenarioKey}`, { key: scenarioKey, known: TRACE_SCENARIO_KEYS.join(', ') });
  }
  const { start, end } = options;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    throw new ValidationError('trace_window_invalid', 'The drill window must end after it starts', { start: String(start), end: String(end) });
  }
  const scale = options.scale ?? 1;
  if (!(scale >= 0.1 && scale <= 50)) throw new ValidationError('trace_scale_invalid', `Scale ${scale} is outside 0.1–50`, { scale });
  const baselineDays = options.baselineDays ?? generator.baselineDays;
  if (!Number.isInteger(baselineDays) || baselineDays < 1 || baselineDays > 60) {
    throw new ValidationError('trace_baseline_invalid', `Baseline of ${baselineDays} days is outside 1–60`, { days: baselineDays });
  }
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const zone = new Zone(timeZone);
  const seed = String(options.seed);
  const coverage = { from: zone.dayStart(start, -baselineDays), to: Math.min(end, start + generator.evidenceTakenAfterMs) };
  const b = new BundleBuilder(zone, coverage);
  // Scale and baseline only change the background's own streams, never the attacker's values.
  const rng = new Random(`${scenarioKey}|${seed}|${start}|${timeZone}`);
  const traces = generator.generate({ b, zone, rng, start, end, coverage, scale, includeOptionalSteps: options.includeOptionalSteps ?? false });
  const { files, attackerLines } = b.build();
  return {
    scenarioKey,
    seed,
    timeZone,
    coverage,
    files,
    // A step after the evidence was taken (a drill shorter than the scenario) is not in the files: leave it out.
    truth: { scenarioKey, steps: traces.steps.filter((s) => s.time <= coverage.to), placeholders: traces.placeholders },
    attackerLines,
  };
}
