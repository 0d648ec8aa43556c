/** The API's shapes, as the server's zod contracts describe them (see /api/openapi.json). */

export const ROLES = ['admin', 'coordinator', 'responder', 'observer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'user.read'
  | 'user.manage'
  | 'org.read'
  | 'org.write'
  | 'audit.read'
  | 'plan.read'
  | 'plan.write'
  | 'scenario.read'
  | 'scenario.write'
  | 'programme.read'
  | 'programme.write'
  | 'drill.read'
  | 'drill.manage'
  | 'drill.transition'
  | 'timeline.write'
  | 'incident.read'
  | 'incident.write'
  | 'evidence.read'
  | 'evidence.add'
  | 'evidence.export'
  | 'settings.write'
  | 'evaluation.write'
  | 'action.read'
  | 'action.write'
  | 'dashboard.read'
  | 'rule.write';

export interface User {
  id: string;
  login: string;
  displayName: string;
  email: string | null;
  role: Role;
  locale: 'zh-CN' | 'en';
  disabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Me {
  user: User;
  permissions: string[];
}

export type ArchivedFilter = 'false' | 'true' | 'all';

export interface Person {
  id: string;
  name: string;
  title: string | null;
  department: string | null;
  phone: string | null;
  email: string | null;
  wecomId: string | null;
  dingtalkId: string | null;
  notes: string | null;
  userId: string | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface GroupMember {
  personId: string;
  name: string;
  title: string | null;
  role: 'leader' | 'member';
}

export interface Group {
  id: string;
  name: string;
  duties: string;
  leader: GroupMember | null;
  members: GroupMember[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export const CHANNELS = ['phone', 'email', 'wecom', 'dingtalk'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Contact {
  id: string;
  personId: string;
  personName: string;
  label: string;
  channel: Channel;
  address: string | null;
  priority: number;
  availability: string | null;
  notes: string | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  problem: { kind: 'edited' | 'deleted' | 'reordered' | 'truncated'; seq: number; message: string } | null;
}

export interface Health {
  status: 'ok';
  version: string;
  database: 'pglite' | 'postgres';
}

// ---- plans ----

export type Localized = { 'zh-CN': string; en: string };
export const INCIDENT_LEVELS = ['I', 'II', 'III', 'IV'] as const;
export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];
export const DRILL_ROLES = ['coordinator', 'responder', 'observer'] as const;
export type DrillRole = (typeof DRILL_ROLES)[number];
export const ESCALATION_TRIGGERS = ['incident_detected', 'plan_activated', 'level_at_least'] as const;
export const REPORT_CHANNELS = ['verbal', 'phone', 'email', 'chat', 'wecom', 'dingtalk', 'feishu', 'sms', 'meeting', 'document'] as const;
/** The internal report of the seed record: 事发时间、影响范围、发展趋势、已采取的措施. */
export const SEED_REPORT_FIELDS = ['occurred_at', 'scope', 'trend', 'measures'] as const;

export interface EscalationRule {
  key: string;
  trigger: (typeof ESCALATION_TRIGGERS)[number];
  minLevel?: IncidentLevel;
  recipient: string;
  recipientPersonId?: string;
  withinMinutes: number;
  channel: (typeof REPORT_CHANNELS)[number];
  requiredFields: string[];
  note?: string;
}

export interface ProcedureStep {
  key: string;
  role: DrillRole | 'all';
  text: string;
}

export interface Procedure {
  key: string;
  title: string;
  category?: string;
  minLevel?: IncidentLevel;
  steps: ProcedureStep[];
}

export interface PlanContact {
  label: string;
  personId?: string;
  phone?: string;
  note?: string;
}

export interface PlanContent {
  guidingPrinciple: string;
  scope: string;
  groupIds: string[];
  procedures: Procedure[];
  escalationRules: EscalationRule[];
  contacts: PlanContact[];
}

export interface RevisionCause {
  kind: 'finding' | 'corrective_action' | 'lesson' | 'drill' | 'incident' | 'other';
  refId?: string;
  text: string;
}

export interface PlanVersionMeta {
  id: string;
  planId: string;
  number: number;
  status: 'draft' | 'published';
  changeNote: string;
  revisionCauses: RevisionCause[];
  basedOnId: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
  updatedAt: string;
}

export interface PlanVersion extends PlanVersionMeta {
  content: PlanContent;
}

export interface PlanSummary {
  id: string;
  title: string;
  archived: boolean;
  publishedNumber: number | null;
  hasDraft: boolean;
  updatedAt: string;
}

export interface Plan extends PlanSummary {
  versions: PlanVersionMeta[];
}

export interface PlanDiffChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
}

// ---- scenarios ----

export const INJECT_CHANNELS = ['phone', 'email', 'chat', 'system_alert'] as const;
export type InjectChannel = (typeof INJECT_CHANNELS)[number];
export const DRILL_MODES = ['tabletop', 'simulated', 'hands_on', 'demonstration'] as const;
export type DrillMode = (typeof DRILL_MODES)[number];
export const DRILL_SCOPES = ['comprehensive', 'single_topic'] as const;
export type DrillScope = (typeof DRILL_SCOPES)[number];

export interface ScenarioSummary {
  id: string;
  key: string;
  version: number;
  source: 'builtin' | 'custom';
  title: Localized;
  summary: Localized;
  category: string;
  level: string;
  attack: { id: string; name: string }[];
  injectCount: number;
  durationMinutes: number;
}

export interface ScenarioDefinition {
  key: string;
  version: number;
  title: Localized;
  summary: Localized;
  narrative: Localized;
  category: string;
  subcategory?: string;
  level: IncidentLevel;
  attack: { id: string; name: string }[];
  mode: DrillMode;
  scope: DrillScope;
  durationMinutes: number;
  objectives: { key: string; text: Localized; criterion: Localized }[];
  injects: {
    key: string;
    offsetMinutes: number;
    detects?: boolean;
    channel: InjectChannel;
    sender: Localized;
    recipients: ('coordinator' | 'responder' | 'observer' | 'all')[];
    content: Localized;
    expectedActions: Localized[];
  }[];
  expectedFindings: { key: string; title: Localized; description: Localized }[];
  escalations: {
    key: string;
    trigger: EscalationRule['trigger'];
    recipient: Localized;
    withinMinutes: number;
    channel: string;
    requiredFields: string[];
  }[];
}

export interface Scenario {
  id: string;
  source: 'builtin' | 'custom';
  definition: ScenarioDefinition;
}

// ---- incident taxonomy ----

export interface TaxonomyCategory {
  code: string;
  abbr: string;
  key: string;
  name: Localized;
  subcategories: { code: string; abbr: string; key: string; name: Localized }[];
}

export interface Taxonomy {
  categories: TaxonomyCategory[];
  levels: { level: IncidentLevel; rank: number; key: string; name: Localized; description: Localized }[];
  reportFields: { key: string; name: Localized }[];
}

export interface ReportingPreset {
  key: string;
  /** Who the preset is for, in the regulation's words. */
  operatorType: Localized;
  withinMinutes: number;
  minLevel: IncidentLevel;
  recipient: Localized;
  requiredFields: string[];
  active: boolean;
}

// ---- programme ----

export const PROGRAMME_STATES = ['planned', 'due', 'overdue', 'done'] as const;
export type ProgrammeState = (typeof PROGRAMME_STATES)[number];

export interface ProgrammeItem {
  id: string;
  year: number;
  kind: 'drill' | 'plan_review';
  project: string;
  purpose: string;
  mode: string;
  plannedDate: string;
  departments: string;
  arrangement: string;
  budget: string;
  drillId: string | null;
  state: ProgrammeState;
  doneAt: string | null;
}

// ---- drills ----

export const DRILL_STATUSES = ['draft', 'approved', 'running', 'paused', 'ended', 'evaluated', 'closed'] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];
export const TRANSITIONS = ['approve', 'start', 'pause', 'resume', 'end', 'evaluate', 'close'] as const;
export type Transition = (typeof TRANSITIONS)[number];

export interface DrillSummary {
  id: string;
  title: string;
  status: DrillStatus;
  mode: DrillMode;
  scope: DrillScope;
  scheduledStart: string | null;
  startedAt: string | null;
  endedAt: string | null;
  place: string;
  exercise: true;
}

export interface Participant {
  personId: string;
  name: string;
  userId: string | null;
  role: DrillRole;
  duty: string;
}

export interface Inject {
  id: string;
  key: string;
  offsetMs: number | null;
  channel: string;
  sender: string;
  recipients: string[];
  content: string;
  expectedActions: string[];
  marksDetection: boolean;
  status: 'pending' | 'delivered' | 'cancelled';
  deliveredAt: string | null;
  deliveredDrillMs: number | null;
}

export interface InjectBody {
  key: string;
  offsetMinutes: number | null;
  channel: InjectChannel;
  sender: string;
  recipients: ('coordinator' | 'responder' | 'observer' | 'all')[];
  content: string;
  expectedActions: string[];
  marksDetection: boolean;
}

export interface Objective {
  key: string;
  text: string;
  criterion: string;
}

/** A pointer to one version of a plan, as drills and incidents show it. */
export interface PlanRef {
  id: string;
  title: string;
  number: number;
  versionId: string;
}

export interface Drill extends DrillSummary {
  language: string;
  planVersionId: string | null;
  /** The plan version the drill follows. */
  plan: PlanRef | null;
  scenarioId: string | null;
  guidingPrinciple: string;
  content: string;
  purpose: string;
  objectives: Objective[];
  escalationRules: EscalationRule[];
  incidentCategory: string | null;
  incidentSubcategory: string | null;
  incidentLevel: IncidentLevel | null;
  pausedAt: string | null;
  pausedMs: number;
  participants: Participant[];
  injects: Inject[];
  drillTimeMs: number;
  abilities: string[];
}

export interface ChecklistItem {
  key: string;
  procedure: string;
  role: string;
  text: string;
  done: boolean;
  doneBy: string | null;
  doneAtMs: number | null;
}

// ---- timeline ----

export const TIMELINE_KINDS = ['inject', 'action', 'decision', 'report', 'notification', 'observation', 'finding', 'status_change'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export const WRITABLE_KINDS = ['action', 'decision', 'report', 'notification', 'observation', 'finding'] as const;
export type WritableKind = (typeof WRITABLE_KINDS)[number];
export const MILESTONES = ['started', 'detected', 'plan_activated', 'reported', 'contained', 'eradicated', 'recovered', 'ended', 'closed'] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface ReportData {
  recipient: string;
  recipientPersonId?: string;
  channel: string;
  ruleKey?: string;
  fields: Record<string, string>;
}

export interface EntryData {
  milestone?: Milestone;
  report?: ReportData;
  injectId?: string;
  checklist?: { itemKey: string; done: boolean };
  status?: { from: string; to: string };
  inject?: { key: string; channel: string; sender: string; recipients: string[]; scheduledMs: number | null };
}

export interface TimelineEntry {
  id: string;
  seq: number;
  kind: TimelineKind;
  at: string;
  drillTimeMs: number | null;
  actorId: string | null;
  actorLabel: string;
  text: string;
  data: EntryData;
  correctsId: string | null;
  correctedBy?: string | null;
  attachments: Record<string, unknown>[];
  createdAt: string;
}

export type ClockState = 'not_applicable' | 'waiting' | 'pending' | 'overdue' | 'met' | 'late';

export interface EscalationClock {
  ruleKey: string;
  recipient: string;
  channel: string;
  withinMinutes: number;
  requiredFields: string[];
  state: ClockState;
  triggeredAtMs: number | null;
  dueAtMs: number | null;
  reportedAtMs: number | null;
  reportEntryId: string | null;
  remainingMs: number | null;
  lateByMs: number | null;
  missingFields: string[];
}

export interface AppendEntryBody {
  kind: WritableKind;
  text: string;
  at?: string;
  data?: EntryData;
  correctsId?: string;
}

export interface DrillTimelineView {
  drill: DrillSummary & { drillTimeMs: number };
  entries: TimelineEntry[];
  escalations: EscalationClock[];
}

// ---- incidents ----

export const INCIDENT_STATUSES = ['open', 'responding', 'contained', 'recovered', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const KEY_TIMES = ['occurredAt', 'detectedAt', 'reportedAt', 'containedAt', 'eradicatedAt', 'recoveredAt', 'closedAt'] as const;
export type KeyTime = (typeof KEY_TIMES)[number];

export interface Incident {
  id: string;
  title: string;
  description: string;
  isDrill: boolean;
  exercise: boolean;
  drillId: string | null;
  category: string;
  subcategory: string | null;
  level: IncidentLevel | null;
  status: IncidentStatus;
  occurredAt: string | null;
  detectedAt: string | null;
  reportedAt: string | null;
  containedAt: string | null;
  eradicatedAt: string | null;
  recoveredAt: string | null;
  closedAt: string | null;
  affectedSystems: string[];
  scope: string;
  planVersionId: string | null;
  /** The plan version the incident follows. */
  plan?: PlanRef | null;
  escalationRules: EscalationRule[];
  createdAt: string;
  updatedAt: string;
}

export interface IncidentTimelineView {
  incident: Incident;
  entries: TimelineEntry[];
  escalations: EscalationClock[];
}
