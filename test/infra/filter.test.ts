import { describe, expect, it } from 'vitest';
import { inferEnv, matches, parseFilter, validateFilter } from '../../infra/filter.js';
import { resolveSettings } from '../../infra/load-settings.js';
import type { Resource } from '../../infra/resource.js';

const settings = resolveSettings(
  { name: 'ai', envs: { dev: { infra: 'docker', db: { user: 'a', database: 'a' } }, prd: { infra: 'aws', db: { user: 'a', database: 'a' } } } },
  { root: '/ws', settingsFile: '/ws/workspace/settings.ts', vars: {} },
);
const res = (env: string, infra: 'docker' | 'aws', type: string, name: string, group: string): Resource => ({ env, infra, type, name, group, dependsOn: [], spec: {} });
const dev = [res('dev', 'docker', 'container', 'ai-db', 'db'), res('dev', 'docker', 'container', 'ai-api', 'app')];
const prd = [res('prd', 'aws', 'task-definition', 'ai-prd-td', 'app'), res('prd', 'aws', 'service', 'ai-prd-service', 'app')];
const byEnv = new Map([['dev', dev], ['prd', prd]]);

describe('filters', () => {
  it('positional ENV:INFRA:GROUP:NAME:TYPE merges with flags and conflicts are errors', () => {
    expect(parseFilter('prd:aws::td', {})).toEqual({ env: 'prd', infra: 'aws', name: 'td' });
    expect(parseFilter('::app', { name: 'api' })).toEqual({ group: 'app', name: 'api' });
    expect(() => parseFilter('dev', { env: 'prd' })).toThrow(/sets env=dev but --env is prd/);
    expect(() => parseFilter('a:b:c:d:e:f', {})).toThrow(/at most 5 parts/);
  });

  it('type is exact and case-insensitive with aliases; unknown env/infra/type are usage errors', () => {
    expect(validateFilter({ type: 'TD' }, settings).type).toBe('task-definition');
    expect(validateFilter({ type: 'sg' }, settings).type).toBe('security-group');
    expect(() => validateFilter({ type: 'lambda' }, settings)).toThrow(/unknown type "lambda"/);
    expect(() => validateFilter({ env: 'stg' }, settings)).toThrow(/unknown env "stg"/);
    expect(() => validateFilter({ infra: 'gcp' }, settings)).toThrow(/unknown infra "gcp"/);
  });

  it('name and group match as substrings', () => {
    expect(prd.filter((r) => matches(r, { name: 'td' })).map((r) => r.name)).toEqual(['ai-prd-td']);
    expect(dev.filter((r) => matches(r, { group: 'ap' })).map((r) => r.name)).toEqual(['ai-api']);
    expect(prd.filter((r) => matches(r, { type: 'service' })).map((r) => r.name)).toEqual(['ai-prd-service']);
  });

  it('without --env: the one env that matches, the default env when unfiltered, an error when ambiguous', () => {
    expect(inferEnv({ name: 'service' }, settings, byEnv)).toBe('prd');
    expect(inferEnv({ name: 'td' }, settings, byEnv)).toBe('prd');
    expect(inferEnv({}, settings, byEnv)).toBe('dev');
    expect(inferEnv({ env: 'prd' }, settings, byEnv)).toBe('prd');
    expect(() => inferEnv({ group: 'app' }, settings, byEnv)).toThrow(/several envs: dev \(ai-api\) and prd \(ai-prd-td, ai-prd-service\); pass --env/);
  });
});
