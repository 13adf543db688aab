import { describe, expect, it } from 'vitest';
import { planToJson, renderPlan } from '../../cli/present-plan.js';
import type { Plan } from '../../infra/plan.js';
import type { Resource } from '../../infra/resource.js';

const r = (name: string, type: string): Resource => ({ type, name, group: 'app', env: 'dev', infra: 'docker', dependsOn: [], spec: {} });
const p: Plan = {
  verb: 'patch',
  actions: [
    { kind: 'noop', resource: r('ai-db', 'container'), changes: [], reason: 'unchanged' },
    { kind: 'replace', resource: r('ai-api', 'container'), changes: [{ field: 'env.LOG_LEVEL', from: 'info', to: 'debug' }, { field: 'env.DB_PASS', from: '****', to: '****' }] },
  ],
  problems: [],
  notes: ['container ai-old exists but does not belong to this workspace: left alone'],
};

describe('plan presenter', () => {
  it('renders a readable plan (golden)', () => {
    expect(renderPlan(p, 'dev')).toBe(
      [
        'Plan: ws patch (env dev)',
        '  =   noop    container ai-db  (unchanged)',
        '  -/+ replace container ai-api',
        '        env.LOG_LEVEL: info -> debug',
        '        env.DB_PASS: **** -> ****',
        '  note: container ai-old exists but does not belong to this workspace: left alone',
        '1 to replace, 1 unchanged.',
      ].join('\n'),
    );
  });

  it('says when there is nothing to do', () => {
    expect(renderPlan({ ...p, actions: [p.actions[0]!], notes: [] }, 'dev')).toMatch(/No changes: 1 resource\(s\) already as declared\.$/);
  });

  it('JSON carries kind/type/name/changes for programs', () => {
    expect(planToJson(p, 'dev', ['replace container ai-api']).actions[1]).toEqual({ kind: 'replace', type: 'container', name: 'ai-api', group: 'app', changes: p.actions[1]!.changes });
    expect(planToJson(p, 'dev').applied).toBeUndefined();
  });
});
