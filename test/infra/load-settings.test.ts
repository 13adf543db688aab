import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkspace, resolveSettings, selectEnv } from '../../infra/load-settings.js';
import { SettingsError, UsageError } from '../../cli/errors.js';
import { makeTempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const base = {
  name: 'ai',
  envs: { dev: { infra: 'docker', db: { user: 'ai', password: 'ai', database: 'ai' } }, prd: { infra: 'aws', db: { host: 'h', user: 'ai', database: 'ai' } } },
};
const ctx = (vars: Record<string, string> = {}) => ({ root: '/ws', settingsFile: '/ws/workspace/settings.ts', vars });

describe('resolveSettings', () => {
  it('fills defaults for what the file leaves out and freezes the result', () => {
    const s = resolveSettings(base, ctx());
    expect(s.defaultEnv).toBe('dev');
    expect(s.docker).toEqual({ dbPort: 5432, apiPort: 8000 });
    expect(s.images.devDb).toBe('postgres:17');
    expect(s.prdDbEnabled).toBe(true);
    expect(Object.isFrozen(s.images)).toBe(true);
    expect(() => {
      (s.docker as { dbPort: number }).dbPort = 1;
    }).toThrow();
  });

  it('environment variables override the file', () => {
    const s = resolveSettings({ ...base, docker: { dbPort: 6000 } }, ctx({ WS_DEV_DB_PORT: '55432', WS_DEV_DB_IMAGE: 'local/postgres:15', WS_AWS_SUBNETS: 'subnet-a, subnet-b', WS_PRD_DB_ENABLED: 'false', AWS_REGION: 'eu-west-1' }));
    expect(s.docker.dbPort).toBe(55432);
    expect(s.images.devDb).toBe('local/postgres:15');
    expect(s.aws.subnets).toEqual(['subnet-a', 'subnet-b']);
    expect(s.aws.region).toBe('eu-west-1');
    expect(s.prdDbEnabled).toBe(false);
  });

  it('names the field and the file for an invalid value', () => {
    const bad = { ...base, envs: { dev: { infra: 'kubernetes', db: base.envs.dev.db } } };
    expect(() => resolveSettings(bad, ctx())).toThrow(SettingsError);
    expect(() => resolveSettings(bad, ctx())).toThrow(/envs\.dev\.infra in workspace\/settings\.ts/);
    expect(() => resolveSettings({ ...base, docker: { dbPort: 'x' } }, ctx())).toThrow(/docker\.dbPort in workspace\/settings\.ts/);
    expect(() => resolveSettings({ ...base, nmae: 'typo' }, ctx())).toThrow('invalid setting nmae in workspace/settings.ts: unknown field (check the spelling)');
    expect(() => resolveSettings({ envs: base.envs }, ctx())).toThrow('invalid setting name in workspace/settings.ts: missing required value');
  });

  it('names the variable when the bad value comes from the environment', () => {
    expect(() => resolveSettings(base, ctx({ WS_DEV_API_PORT: '99999' }))).toThrow(/WS_DEV_API_PORT="99999" \(environment\)/);
    expect(() => resolveSettings(base, ctx({ WS_PRD_DB_ENABLED: 'maybe' }))).toThrow(/WS_PRD_DB_ENABLED/);
  });

  it('refuses a default env that is not declared', () => {
    expect(() => resolveSettings({ ...base, defaultEnv: 'stg' }, ctx())).toThrow(/defaultEnv .*"stg" is not one of the envs \(dev, prd\)/);
  });

  it('selectEnv: default env, explicit env, unknown env is a usage error', () => {
    const s = resolveSettings(base, ctx());
    expect(selectEnv(s, undefined)).toBe('dev');
    expect(selectEnv(s, 'prd')).toBe('prd');
    expect(() => selectEnv(s, 'stg')).toThrow(UsageError);
  });
});

describe('loadWorkspace', () => {
  let tmp: TempWorkspace | undefined;
  afterEach(() => tmp?.remove());

  it('precedence: settings.ts < .env < process environment', async () => {
    tmp = makeTempWorkspace();
    tmp.write('.env', 'WS_DEV_DB_PORT=6001\nWS_DEV_API_PORT=6002\n');
    const fromDotenv = await loadWorkspace({ root: tmp.root, env: {} });
    expect(fromDotenv.settings.docker).toEqual({ dbPort: 6001, apiPort: 6002 });
    const fromProcess = await loadWorkspace({ root: tmp.root, env: { WS_DEV_DB_PORT: '7001' } });
    expect(fromProcess.settings.docker).toEqual({ dbPort: 7001, apiPort: 6002 });
    const plain = await loadWorkspace({ root: tmp.root, env: { WS_ROOT: tmp.root } });
    expect(plain.settings.root).toBe(tmp.root);
  });

  it('a settings file that does not load is a settings error naming the file', async () => {
    tmp = makeTempWorkspace();
    tmp.write('workspace/settings.ts', 'export default {;\n');
    await expect(loadWorkspace({ root: tmp.root, env: {} })).rejects.toThrow(/settings\.ts: cannot load/);
  });
});
