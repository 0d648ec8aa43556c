import type { EventType } from '../../evidence/event.js';

export interface Localized {
  'zh-CN': string;
  en: string;
}

/** Which evidence parser reads a generated file. */
export type TraceParser = 'auth' | 'nginx' | 'mysql' | 'jsonl' | 'wechatpay' | 'syslog' | 'postgres' | 'csv';

/** One generated evidence file, byte for byte as it would be exported from the system. */
export interface TraceFile {
  name: string;
  parser: TraceParser;
  encoding: 'utf8' | 'gbk';
  /** The machine or service the file came from. */
  host: string;
  description: Localized;
  content: Buffer;
}

/** The Sigma rules bundled with Firedrill (names as the rules module ships them). */
export const BUNDLED_RULES = [
  'ssh_bruteforce_then_success',
  'ssh_new_source_ip_admin',
  'admin_login_off_hours',
  'ssh_root_password_login',
  'payment_by_non_finance',
  'db_mass_export',
  'db_balance_tampering',
  'sudo_to_root_shell',
  'new_local_account',
  'web_sqli_attempt',
  'web_path_traversal',
] as const;
export type RuleName = (typeof BUNDLED_RULES)[number];

/**
 * How a normalized event of a step is recognised. Every given criterion must hold; a list means "any of".
 * User names compare exactly, addresses exactly, types and sources exactly.
 */
export interface StepMatch {
  type?: EventType[];
  user?: string | string[];
  srcIp?: string | string[];
  source?: string | string[];
}

/** One thing the attacker did, as the team should find it. */
export interface TruthStep {
  /** Stable key; where the scenario has an expected finding for it, the same key. */
  key: string;
  title: Localized;
  description: Localized;
  /** When the step started (ms). */
  time: number;
  /** When it ended, for steps that span a while (a night of withdrawals); absent for a moment. */
  endTime?: number;
  host?: string;
  user?: string;
  srcIp?: string;
  /** Bundled Sigma rules expected to flag it (may be empty when no bundled rule covers it). */
  ruleNames: RuleName[];
  match: StepMatch;
  /** Other ways an event of this step is recognised (the same step seen in another file); any one suffices. */
  also?: StepMatch[];
  /** How far outside [time, endTime] a matching event may lie, when the scoring default does not fit the step. */
  toleranceMs?: number;
}

/** Values for the Sigma rules' placeholders, as the generated company uses them. */
export interface TracePlaceholders {
  admin_accounts: string[];
  finance_accounts: string[];
  app_db_accounts: string[];
  /** Accounts whose scheduled dumps are expected (the nightly backup). */
  backup_accounts?: string[];
}

export interface GroundTruth {
  scenarioKey: string;
  steps: TruthStep[];
  placeholders: TracePlaceholders;
}

/** Where one attacker line sits in a generated file (1-based line number), so tests can find it. */
export interface AttackerLine {
  file: string;
  lineNo: number;
  step: string;
}

export interface TraceBundle {
  scenarioKey: string;
  seed: string;
  timeZone: string;
  /** The period the files cover: the baseline days before the drill up to the moment the evidence was taken. */
  coverage: { from: number; to: number };
  files: TraceFile[];
  truth: GroundTruth;
  attackerLines: AttackerLine[];
}

export interface GenerateTracesOptions {
  /** Same seed, same inputs → byte-identical files. */
  seed: number | string;
  /** The drill window (ms). */
  start: number;
  end: number;
  /** IANA zone the company's servers and people live in; default Asia/Shanghai. */
  timeZone?: string;
  /** Multiplies the background volume (default 1; 0.1–50). */
  scale?: number;
  /** Days of normal activity before the attack (default per scenario, 5 for the seed). */
  baselineDays?: number;
  /** Add the steps a scenario marks optional (the seed's mass export of the customer table). */
  includeOptionalSteps?: boolean;
}
