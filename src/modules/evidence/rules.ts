import { eq } from 'drizzle-orm';
import { actorName, type ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { localRuleTitle } from './rules/titles.js';
import { detectionRules, detectionSettings } from './schema.js';
import { bundledRules, DEFAULT_PLACEHOLDERS, parseSigmaRules, type SigmaRule } from './sigma/index.js';

/** A rule as the rule list shows it. */
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
  /** bundled (shipped with Firedrill) or custom (uploaded). */
  origin: 'bundled' | 'custom';
  enabled: boolean;
  /** Correlation rules: how they combine other rules. */
  correlation: string | null;
  source: string;
}

function summary(rule: SigmaRule, origin: 'bundled' | 'custom', enabled: boolean): RuleSummary {
  const r = rule as SigmaRule & { author?: string; description?: string; status?: string; correlation?: { type?: string } };
  return {
    id: rule.id,
    name: rule.name ?? null,
    title: rule.title,
    titleZh: localRuleTitle(rule, 'zh-CN'),
    level: rule.level ?? null,
    status: r.status ?? null,
    description: r.description ?? null,
    author: r.author ?? null,
    tags: rule.tags,
    origin,
    enabled,
    correlation: r.correlation?.type ?? null,
    source: rule.source,
  };
}

/** The company's detection settings (placeholders, switched-off bundled rules, time zone). */
export async function getDetectionSettings(db: Db) {
  const [row] = await db.select().from(detectionSettings).where(eq(detectionSettings.key, 'detection'));
  return {
    placeholders: { ...DEFAULT_PLACEHOLDERS, ...(row?.placeholders ?? {}) },
    disabledRules: row?.disabledRules ?? [],
    timeZone: row?.timeZone ?? 'Asia/Shanghai',
  };
}

/** Changes the detection settings: values of %admin_accounts%, %finance_accounts% … and the time zone. Audited. */
export async function updateDetectionSettings(ctx: ServiceContext, body: { placeholders?: Record<string, string[]>; timeZone?: string }) {
  return ctx.db.transaction(async (tx) => {
    const before = await getDetectionSettings(tx);
    const placeholders = body.placeholders ?? before.placeholders;
    const timeZone = body.timeZone ?? before.timeZone;
    await tx
      .insert(detectionSettings)
      .values({ key: 'detection', placeholders, timeZone, disabledRules: before.disabledRules })
      .onConflictDoUpdate({ target: detectionSettings.key, set: { placeholders, timeZone, updatedAt: ctx.clock.now() } });
    await appendAudit(tx, ctx, { action: 'detection.update_settings', entityType: 'detection_settings', entityId: 'detection', before, after: { placeholders, timeZone } });
    return getDetectionSettings(tx);
  });
}

/** Every rule: the bundled ones and those users uploaded, each enabled or not. */
export async function listRules(ctx: Pick<ServiceContext, 'db'>): Promise<RuleSummary[]> {
  const settings = await getDetectionSettings(ctx.db);
  const custom = await ctx.db.select().from(detectionRules);
  return [
    ...bundledRules().map((r) => summary(r, 'bundled', !settings.disabledRules.includes(r.id))),
    ...custom.flatMap((row) => parseSigmaRules(row.source).map((r) => summary(r, 'custom', row.enabled))),
  ];
}

/**
 * The rules a detection run uses (enabled ones), and every rule a correlation may refer to.
 */
export async function activeRules(db: Db): Promise<{ run: SigmaRule[]; all: SigmaRule[] }> {
  const settings = await getDetectionSettings(db);
  const custom = await db.select().from(detectionRules);
  const bundled = bundledRules();
  const uploaded = custom.map((row) => ({ enabled: row.enabled, rules: parseSigmaRules(row.source) }));
  return {
    run: [...bundled.filter((r) => !settings.disabledRules.includes(r.id)), ...uploaded.filter((u) => u.enabled).flatMap((u) => u.rules)],
    all: [...bundled, ...uploaded.flatMap((u) => u.rules)],
  };
}

/**
 * Adds a user's Sigma rule file (one or more rules; a correlation with its base rules). Checked before it is kept:
 * throws `rule_invalid`, `rule_field_unknown`, `rule_unsupported` naming the field and line; Conflict
 * `rule_exists` when a rule id is already known.
 */
export async function addRule(ctx: ServiceContext, source: string): Promise<RuleSummary[]> {
  const rules = parseSigmaRules(source);
  const known = new Set((await listRules(ctx)).map((r) => r.id));
  const clash = rules.find((r) => known.has(r.id));
  if (clash) throw new ConflictError('rule_exists', `A rule with id ${clash.id} exists already`, { id: clash.id, title: clash.title });
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(detectionRules).values({ ruleId: rules[0].id, title: rules[0].title, source, createdBy: actorName(ctx.actor) }).returning();
    await appendAudit(tx, ctx, { action: 'rule.add', entityType: 'detection_rule', entityId: row.id, after: { ruleIds: rules.map((r) => r.id), titles: rules.map((r) => r.title) } });
  });
  return rules.map((r) => summary(r, 'custom', true));
}

/** Switches a rule on or off (bundled or custom). Throws NotFound. */
export async function setRuleEnabled(ctx: ServiceContext, ruleId: string, enabled: boolean): Promise<RuleSummary> {
  const rule = (await listRules(ctx)).find((r) => r.id === ruleId);
  if (!rule) throw new NotFoundError('rule', ruleId);
  await ctx.db.transaction(async (tx) => {
    if (rule.origin === 'bundled') {
      const settings = await getDetectionSettings(tx);
      const disabledRules = enabled ? settings.disabledRules.filter((id) => id !== ruleId) : [...new Set([...settings.disabledRules, ruleId])];
      await tx
        .insert(detectionSettings)
        .values({ key: 'detection', disabledRules })
        .onConflictDoUpdate({ target: detectionSettings.key, set: { disabledRules, updatedAt: ctx.clock.now() } });
    } else {
      const custom = await tx.select().from(detectionRules);
      const row = custom.find((c) => parseSigmaRules(c.source).some((r) => r.id === ruleId))!;
      await tx.update(detectionRules).set({ enabled, updatedAt: ctx.clock.now() }).where(eq(detectionRules.id, row.id));
    }
    await appendAudit(tx, ctx, { action: enabled ? 'rule.enable' : 'rule.disable', entityType: 'detection_rule', entityId: ruleId, after: { enabled } });
  });
  return { ...rule, enabled };
}

/** Deletes an uploaded rule file (bundled rules can only be switched off). Throws NotFound, `rule_bundled`. */
export async function deleteRule(ctx: ServiceContext, ruleId: string): Promise<void> {
  if (bundledRules().some((r) => r.id === ruleId)) throw new ConflictError('rule_bundled', 'A bundled rule can be switched off, not deleted', { id: ruleId });
  await ctx.db.transaction(async (tx) => {
    const custom = await tx.select().from(detectionRules);
    const row = custom.find((c) => parseSigmaRules(c.source).some((r) => r.id === ruleId));
    if (!row) throw new NotFoundError('rule', ruleId);
    await tx.delete(detectionRules).where(eq(detectionRules.id, row.id));
    await appendAudit(tx, ctx, { action: 'rule.delete', entityType: 'detection_rule', entityId: ruleId, before: { title: row.title, source: row.source } });
  });
}
