import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq, isNull } from 'drizzle-orm';
import { parse, stringify, YAMLParseError } from 'yaml';
import type { ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { packageRoot } from '../../paths.js';
import { appendAudit } from '../audit/service.js';
import { ScenarioDefinition, scenarios, type ScenarioSummary } from './schema.js';

type ScenarioRow = typeof scenarios.$inferSelect;

/** The shipped library; in a build the YAML files stay in src/ (they are data, not code). */
export const libraryFolder = join(packageRoot, 'src', 'modules', 'scenarios', 'library');

function summarize(row: ScenarioRow): ScenarioSummary {
  const d = row.definition;
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    source: row.source,
    title: d.title,
    summary: d.summary,
    category: d.category,
    level: d.level,
    attack: d.attack,
    injectCount: d.injects.length,
    durationMinutes: d.durationMinutes,
  };
}

/**
 * Parses and checks a scenario YAML document. Throws `scenario_invalid` naming the line (YAML syntax) or
 * the field (format) that is wrong.
 */
export function parseScenarioYaml(text: string): ScenarioDefinition {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 50 });
  } catch (err) {
    const line = err instanceof YAMLParseError ? (err.linePos?.[0]?.line ?? 0) : 0;
    throw new ValidationError('scenario_yaml_invalid', `Not valid YAML (line ${line})`, { line });
  }
  const parsed = ScenarioDefinition.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first.path.join('.');
    throw new ValidationError('scenario_invalid', `${path}: ${first.message}`, { path, reason: first.message }, { issues: parsed.error.issues.slice(0, 10) });
  }
  const offsets = parsed.data.injects.map((i) => i.offsetMinutes);
  if (new Set(parsed.data.injects.map((i) => i.key)).size !== offsets.length) {
    throw new ValidationError('scenario_invalid', 'inject keys must be unique', { path: 'injects', reason: 'duplicate key' });
  }
  return { ...parsed.data, injects: [...parsed.data.injects].sort((a, b) => a.offsetMinutes - b.offsetMinutes) };
}

/** The scenario as a YAML document others can import. */
export function toYaml(definition: ScenarioDefinition): string {
  return stringify(definition, { lineWidth: 0 });
}

/** Reads every shipped scenario file. */
export function readLibrary(): ScenarioDefinition[] {
  return readdirSync(libraryFolder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseScenarioYaml(readFileSync(join(libraryFolder, f), 'utf8')));
}

/**
 * Puts the shipped scenarios into the database: new ones are added, newer versions replace older built-in
 * ones; a team's own scenario with the same key is left alone. Run at start-up.
 */
export async function installLibrary(ctx: Pick<ServiceContext, 'db' | 'clock' | 'actor'>): Promise<number> {
  let changed = 0;
  for (const definition of readLibrary()) {
    await ctx.db.transaction(async (tx) => {
      const [existing] = await tx.select().from(scenarios).where(eq(scenarios.key, definition.key));
      if (existing && (existing.source === 'custom' || existing.version >= definition.version)) return;
      if (existing) {
        await tx.update(scenarios).set({ version: definition.version, definition, updatedAt: ctx.clock.now() }).where(eq(scenarios.id, existing.id));
      } else {
        // Several processes starting at once (serve --workers) may all try: the first one wins.
        const inserted = await tx
          .insert(scenarios)
          .values({ key: definition.key, version: definition.version, source: 'builtin', definition })
          .onConflictDoNothing()
          .returning({ id: scenarios.id });
        if (inserted.length === 0) return;
      }
      await appendAudit(tx, ctx, { action: 'scenario.install', entityType: 'scenario', entityId: definition.key, after: { version: definition.version } });
      changed++;
    });
  }
  return changed;
}

export async function listScenarios(ctx: Pick<ServiceContext, 'db'>): Promise<ScenarioSummary[]> {
  const rows = await ctx.db.select().from(scenarios).where(isNull(scenarios.archivedAt)).orderBy(asc(scenarios.source), asc(scenarios.key));
  return rows.map(summarize);
}

export async function loadScenario(db: Db, scenarioId: string): Promise<ScenarioRow> {
  const [row] = await db.select().from(scenarios).where(eq(scenarios.id, scenarioId));
  if (!row) throw new NotFoundError('scenario', scenarioId);
  return row;
}

export async function getScenario(ctx: Pick<ServiceContext, 'db'>, scenarioId: string) {
  const row = await loadScenario(ctx.db, scenarioId);
  return { id: row.id, source: row.source, definition: row.definition };
}

export async function findScenarioByKey(db: Db, key: string): Promise<ScenarioRow | undefined> {
  const [row] = await db.select().from(scenarios).where(eq(scenarios.key, key));
  return row;
}

/**
 * Imports a scenario from YAML as the team's own. A key that exists is replaced only by a higher version
 * (throws `scenario_version_conflict` otherwise). Throws `scenario_yaml_invalid`, `scenario_invalid`.
 */
export async function importScenario(ctx: ServiceContext, yamlText: string) {
  const definition = parseScenarioYaml(yamlText);
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(scenarios).where(eq(scenarios.key, definition.key));
    if (existing && existing.version >= definition.version) {
      throw new ConflictError('scenario_version_conflict', `Scenario ${definition.key} v${existing.version} exists`, { key: definition.key, version: existing.version });
    }
    const [row] = existing
      ? await tx.update(scenarios).set({ version: definition.version, source: 'custom', definition, archivedAt: null, updatedAt: ctx.clock.now() }).where(eq(scenarios.id, existing.id)).returning()
      : await tx.insert(scenarios).values({ key: definition.key, version: definition.version, source: 'custom', definition }).returning();
    await appendAudit(tx, ctx, { action: 'scenario.import', entityType: 'scenario', entityId: row.id, after: { key: definition.key, version: definition.version } });
    return { id: row.id, source: row.source, definition: row.definition };
  });
}
