import type { BundleBuilder } from './bundle.js';
import type { Zone } from './clock.js';
import type { Random } from './random.js';
import type { TracePlaceholders, TruthStep } from './types.js';

/** What a scenario's generator gets. */
export interface ScenarioContext {
  b: BundleBuilder;
  zone: Zone;
  rng: Random;
  /** The drill window. */
  start: number;
  end: number;
  coverage: { from: number; to: number };
  scale: number;
  includeOptionalSteps: boolean;
}

export interface ScenarioTraces {
  steps: TruthStep[];
  placeholders: TracePlaceholders;
}

/** One scenario's generator and the period its evidence covers. */
export interface ScenarioGenerator {
  key: string;
  /** Days of normal activity before the attack, unless the caller says otherwise. */
  baselineDays: number;
  /** When the evidence was exported, relative to the drill start (ms), capped at the drill's end. */
  evidenceTakenAfterMs: number;
  generate(ctx: ScenarioContext): ScenarioTraces;
}
