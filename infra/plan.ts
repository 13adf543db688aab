/**
 * The pure planner: desired resources + observed state -> ordered actions (changesets' pattern:
 * read state, plan purely, then apply). No I/O here.
 */
import { typeInfo, typeOrder } from './types.js';
import type { Comparison, FieldChange, Observed, Resource } from './resource.js';

export type Verb = 'up' | 'down' | 'patch' | 'restart';
export type ActionKind = 'create' | 'update' | 'replace' | 'delete' | 'noop';

export interface Action {
  readonly kind: ActionKind;
  readonly resource: Resource;
  readonly observed?: Observed;
  readonly changes: readonly FieldChange[];
  /** Why a no-op or replace, for display ("unchanged", "forced", "restart"). */
  readonly reason?: string;
}

export interface Plan {
  readonly verb: Verb;
  readonly actions: readonly Action[];
  /** Reasons the plan cannot be applied (foreign resource in the way, missing dependency). */
  readonly problems: readonly string[];
  /** Resources that are left alone and why (not owned by this workspace, absent on down). */
  readonly notes: readonly string[];
}

export interface PlanInput {
  readonly verb: Verb;
  /** The selected resources. */
  readonly desired: readonly Resource[];
  /** Every resource of the env (to check dependencies that the filter did not select). */
  readonly all: readonly Resource[];
  readonly observed: ReadonlyMap<string, Observed>;
  readonly compare: (desired: Resource, observed: Observed) => Comparison;
  readonly force?: boolean;
  /** down: also delete types kept by default (volumes, images) — set when -t names them. */
  readonly purge?: boolean;
}

export function plan(input: PlanInput): Plan {
  const { verb, observed } = input;
  const problems: string[] = [];
  const notes: string[] = [];
  const actions: Action[] = [];
  const ordered = orderForCreate(input.desired);
  const selected = new Set(input.desired.map((r) => r.name));

  if (verb === 'down') {
    for (const resource of [...ordered].reverse()) {
      const seen = observed.get(resource.name);
      if (!seen) actions.push({ kind: 'noop', resource, changes: [], reason: 'absent' });
      else if (typeInfo(resource.type)?.keepOnDown && !input.purge) {
        actions.push({ kind: 'noop', resource, observed: seen, changes: [], reason: `kept (delete it with -t ${resource.type})` });
      } else if (!seen.owned) notes.push(`${resource.type} ${resource.name} exists but does not belong to this workspace: left alone`);
      else actions.push({ kind: 'delete', resource, observed: seen, changes: [] });
    }
    return { verb, actions, problems, notes };
  }

  for (const resource of ordered) {
    const seen = observed.get(resource.name);
    if (!seen) {
      if (verb === 'patch' || verb === 'restart') {
        problems.push(`${resource.type} ${resource.name} does not exist: run ws up first`);
        continue;
      }
      for (const dep of resource.dependsOn) {
        if (!selected.has(dep) && !observed.has(dep)) {
          const known = input.all.find((r) => r.name === dep);
          problems.push(`${resource.type} ${resource.name} needs ${known ? `${known.type} ` : ''}${dep}, which does not exist and is not selected: include it in the filter or run ws up without filters`);
        }
      }
      actions.push({ kind: 'create', resource, changes: [] });
      continue;
    }
    if (!seen.owned) {
      problems.push(`${resource.type} ${resource.name} exists but does not belong to this workspace (no ws labels/tags): remove or rename it, ws will not touch it`);
      continue;
    }
    const comparison = input.compare(resource, seen);
    if (verb === 'restart') {
      if (!typeInfo(resource.type)?.restartable) {
        actions.push({ kind: 'noop', resource, observed: seen, changes: [], reason: 'not restartable' });
        continue;
      }
      actions.push({ kind: 'replace', resource, observed: seen, changes: comparison.changes, reason: 'restart' });
    } else if (comparison.changes.length > 0) {
      actions.push({ kind: comparison.mode, resource, observed: seen, changes: comparison.changes });
    } else if (input.force) {
      actions.push({ kind: 'replace', resource, observed: seen, changes: [], reason: 'forced' });
    } else {
      actions.push({ kind: 'noop', resource, observed: seen, changes: [], reason: 'unchanged' });
    }
  }
  return { verb, actions, problems, notes };
}

/** Dependency order (dependsOn first), ties broken by type order then name (code-point order: localeCompare's first call costs ~9 ms of ICU start-up). Stable, cycle-safe. */
export function orderForCreate(resources: readonly Resource[]): Resource[] {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const sorted = [...resources].sort((a, b) => typeOrder(a.type) - typeOrder(b.type) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: Resource[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: Resource, path: string[]): void => {
    const s = state.get(r.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`dependency cycle: ${[...path, r.name].join(' -> ')}`);
    state.set(r.name, 'visiting');
    for (const dep of r.dependsOn) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, r.name]);
    }
    state.set(r.name, 'done');
    out.push(r);
  };
  for (const r of sorted) visit(r, []);
  return out;
}

export function pendingActions(p: Plan): Action[] {
  return p.actions.filter((a) => a.kind !== 'noop');
}
