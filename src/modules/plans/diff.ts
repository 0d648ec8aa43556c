import type { PlanDiffChange } from './schema.js';

/**
 * Flattens a plan's content to path → value. Lists of objects with a `key` are addressed by key
 * (`procedures[contain].steps[s2].text`), so reordering or inserting one item shows as that item only.
 */
export function flatten(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    const keyed = value.every((v) => v && typeof v === 'object' && typeof (v as { key?: unknown }).key === 'string');
    if (value.length === 0) out.set(path, []);
    value.forEach((item, i) => flatten(item, `${path}[${keyed ? (item as { key: string }).key : i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/** Field-level changes from one plan content to another, in a stable order. */
export function diffContent(before: unknown, after: unknown): PlanDiffChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: PlanDiffChange[] = [];
  for (const [path, value] of a) {
    if (!b.has(path)) changes.push({ path, kind: 'removed', before: value, after: null });
    else if (JSON.stringify(b.get(path)) !== JSON.stringify(value)) changes.push({ path, kind: 'changed', before: value, after: b.get(path) });
  }
  for (const [path, value] of b) if (!a.has(path)) changes.push({ path, kind: 'added', before: null, after: value });
  // An emptied (or first filled) list shows as its items removed (or added), not also as a bare "[]".
  const hasItems = (map: Map<string, unknown>, path: string) => [...map.keys()].some((k) => k.startsWith(`${path}[`));
  const meaningful = changes.filter((c) => !(Array.isArray(c.kind === 'added' ? c.after : c.before) && (hasItems(a, c.path) || hasItems(b, c.path))));
  return meaningful.sort((x, y) => x.path.localeCompare(y.path));
}
