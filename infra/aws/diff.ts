/** Pure field diff of two normalised values: dotted paths, rendered values, secrets never shown. */
import { isSecret, type FieldChange } from '../resource.js';

type Leaf = string | number | boolean | null;

/** Flattens nested records into dotted paths; arrays and primitives are leaves. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (isSecret(value)) {
    out.set(prefix, '****');
  } else if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, render(value as Leaf | unknown[]));
  }
  return out;
}

function render(value: Leaf | unknown[]): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The fields of `desired` and `observed` that differ, sorted by path (from = observed, to = desired). */
export function diff(desired: unknown, observed: unknown, prefix = ''): FieldChange[] {
  const want = flatten(desired, prefix);
  const have = flatten(observed, prefix);
  const paths = [...new Set([...want.keys(), ...have.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const field of paths) {
    const to = want.get(field);
    const from = have.get(field);
    if (to === from) continue;
    changes.push({ field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }
  return changes;
}

export function sortedRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
