import { describe, expect, it } from 'vitest';
import { orderForCreate, plan, type PlanInput } from '../../infra/plan.js';
import type { Comparison, Observed, Resource } from '../../infra/resource.js';

const r = (name: string, type: string, dependsOn: string[] = [], spec: unknown = {}): Resource => ({ type, name, group: 'g', env: 'dev', infra: 'docker', dependsOn, spec });
const owned = (state: unknown = {}): Observed => ({ owned: true, state });
const foreign: Observed = { owned: false, state: {} };
/** Fake comparison: the spec's `v` against the observed state's `v`. */
const compare = (d: Resource, o: Observed): Comparison => {
  const want = (d.spec as { v?: string }).v;
  const have = (o.state as { v?: string }).v;
  return { changes: want === have ? [] : [{ field: 'v', from: have, to: want }], mode: d.type === 'container' ? 'replace' : 'update' };
};

const net = r('ai-dev-net', 'network');
const vol = r('ai-dev-data', 'volume');
const db = r('ai-db', 'container', ['ai-dev-net', 'ai-dev-data'], { v: '1' });
const api = r('ai-api', 'container', ['ai-db', 'ai-dev-net'], { v: '1' });
const all = [api, db, vol, net];
const input = (over: Partial<PlanInput>): PlanInput => ({ verb: 'up', desired: all, all, observed: new Map(), compare, ...over });
const summary = (p: ReturnType<typeof plan>) => p.actions.map((a) => `${a.kind} ${a.resource.name}`);

describe('plan', () => {
  it('up on nothing creates everything in dependency order', () => {
    expect(summary(plan(input({})))).toEqual(['create ai-dev-net', 'create ai-dev-data', 'create ai-db', 'create ai-api']);
  });

  it('up with everything as declared is all no-ops', () => {
    const observed = new Map([[net.name, owned()], [vol.name, owned()], [db.name, owned({ v: '1' })], [api.name, owned({ v: '1' })]]);
    const p = plan(input({ observed }));
    expect(p.actions.every((a) => a.kind === 'noop')).toBe(true);
    expect(p.problems).toEqual([]);
  });

  it('drift replaces only the changed container and lists the field', () => {
    const observed = new Map([[net.name, owned()], [vol.name, owned()], [db.name, owned({ v: '1' })], [api.name, owned({ v: '0' })]]);
    const p = plan(input({ verb: 'patch', observed }));
    expect(summary(p)).toEqual(['noop ai-dev-net', 'noop ai-dev-data', 'noop ai-db', 'replace ai-api']);
    expect(p.actions[3]!.changes).toEqual([{ field: 'v', from: '0', to: '1' }]);
  });

  it('--force replaces unchanged resources', () => {
    const observed = new Map([[db.name, owned({ v: '1' })]]);
    const p = plan(input({ desired: [db], observed, force: true }));
    expect(p.actions.map((a) => [a.kind, a.reason])).toEqual([['replace', 'forced']]);
  });

  it('a foreign resource with the same name blocks the plan and is never acted on', () => {
    const p = plan(input({ desired: [db], observed: new Map([[db.name, foreign], [net.name, owned()], [vol.name, owned()]]) }));
    expect(p.actions).toEqual([]);
    expect(p.problems[0]).toMatch(/container ai-db exists but does not belong to this workspace/);
  });

  it('down deletes in reverse dependency order, spares foreign resources and keeps volumes unless purged', () => {
    const observed = new Map([[net.name, owned()], [vol.name, owned()], [db.name, foreign], [api.name, owned()]]);
    const p = plan(input({ verb: 'down', observed }));
    expect(summary(p)).toEqual(['delete ai-api', 'noop ai-dev-data', 'delete ai-dev-net']);
    expect(p.notes[0]).toMatch(/ai-db exists but does not belong/);
    const purged = plan(input({ verb: 'down', desired: [vol], observed, purge: true }));
    expect(summary(purged)).toEqual(['delete ai-dev-data']);
  });

  it('filters never pull in dependencies: a missing unselected dependency is reported', () => {
    const p = plan(input({ desired: [api], observed: new Map([[net.name, owned()]]) }));
    expect(p.problems).toEqual([expect.stringContaining('container ai-api needs container ai-db, which does not exist and is not selected')]);
    expect(summary(p)).toEqual(['create ai-api']);
  });

  it('patch and restart refuse what does not exist; restart replaces only restartable types', () => {
    expect(plan(input({ verb: 'patch', desired: [db] })).problems).toEqual(['container ai-db does not exist: run ws up first']);
    const observed = new Map([[net.name, owned()], [db.name, owned({ v: '1' })]]);
    const p = plan(input({ verb: 'restart', desired: [net, db], observed }));
    expect(p.actions.map((a) => [a.kind, a.resource.name, a.reason])).toEqual([
      ['noop', 'ai-dev-net', 'not restartable'],
      ['replace', 'ai-db', 'restart'],
    ]);
  });

  it('orderForCreate detects cycles', () => {
    expect(() => orderForCreate([r('a', 'container', ['b']), r('b', 'container', ['a'])])).toThrow(/dependency cycle: a -> b -> a/);
  });
});

describe('secrets', () => {
  it('isSecret recognises a Secret from another copy of infra/resource.ts, and a look-alike is not one', async () => {
    const { isSecret, secret } = await import('../../infra/resource.js');
    const { importTs } = await import('../../infra/import-ts.js');
    const copy = await importTs<typeof import('../../infra/resource.js')>(new URL('../../infra/resource.ts', import.meta.url).pathname, { default: false });
    const foreign = copy.secret('pw');
    expect(foreign).not.toBeInstanceOf((await import('../../infra/resource.js')).Secret); // really another copy
    expect(isSecret(foreign)).toBe(true);
    expect(isSecret(secret('pw'))).toBe(true);
    expect(isSecret({ reveal: () => 'not branded' })).toBe(false);
    expect(JSON.stringify({ p: secret('hunter2') })).toBe('{"p":"****"}');
    expect(`${secret('hunter2')}`).toBe('****');
  });
});
