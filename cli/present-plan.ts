/** Renders a plan for people (text) and for programs (JSON). Pure: golden-tested. */
import type { Action, ActionKind, Plan } from '../infra/plan.js';

const SYMBOL: Record<ActionKind, string> = { create: '+', update: '~', replace: '-/+', delete: '-', noop: '=' };

export function renderPlan(plan: Plan, env: string): string {
  const lines: string[] = [];
  const pending = plan.actions.filter((a) => a.kind !== 'noop');
  lines.push(`Plan: ws ${plan.verb} (env ${env})`);
  for (const action of plan.actions) {
    lines.push(`  ${SYMBOL[action.kind].padEnd(3)} ${action.kind.padEnd(7)} ${action.resource.type} ${action.resource.name}${action.reason ? `  (${action.reason})` : ''}`);
    for (const change of action.changes) lines.push(`        ${change.field}: ${show(change.from)} -> ${show(change.to)}`);
  }
  for (const note of plan.notes) lines.push(`  note: ${note}`);
  for (const problem of plan.problems) lines.push(`  problem: ${problem}`);
  lines.push(summary(plan.actions, pending.length));
  return lines.join('\n');
}

function show(value: string | undefined): string {
  return value === undefined ? '(none)' : value;
}

export function summary(actions: readonly Action[], pendingCount: number): string {
  if (pendingCount === 0) return `No changes: ${actions.length} resource(s) already as declared.`;
  const counts = new Map<ActionKind, number>();
  for (const a of actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const parts = (['create', 'update', 'replace', 'delete'] as const).filter((k) => counts.get(k)).map((k) => `${counts.get(k)} to ${k}`);
  return `${parts.join(', ')}, ${counts.get('noop') ?? 0} unchanged.`;
}

export interface PlanJson {
  verb: string;
  env: string;
  actions: { kind: ActionKind; type: string; name: string; group: string; reason?: string; changes: { field: string; from?: string; to?: string }[] }[];
  problems: string[];
  notes: string[];
  applied?: string[];
}

export function planToJson(plan: Plan, env: string, applied?: readonly string[]): PlanJson {
  return {
    verb: plan.verb,
    env,
    actions: plan.actions.map((a) => ({
      kind: a.kind,
      type: a.resource.type,
      name: a.resource.name,
      group: a.resource.group,
      ...(a.reason ? { reason: a.reason } : {}),
      changes: a.changes.map((c) => ({ ...c })),
    })),
    problems: [...plan.problems],
    notes: [...plan.notes],
    ...(applied ? { applied: [...applied] } : {}),
  };
}
