import { describe, expect, it } from 'vitest';
import { describeConnection, parseDatabaseUrl, resolveDbConnection } from '../../db/connection.js';
import { resolveSettings } from '../../infra/load-settings.js';

const settings = resolveSettings(
  {
    name: 'ai',
    docker: { dbPort: 55432 },
    envs: { dev: { infra: 'docker', db: { user: 'ai', password: 'devpw', database: 'ai' } }, prd: { infra: 'aws', db: { host: 'db.internal', port: 6543, user: 'app', database: 'app' } } },
  },
  { root: '/ws', settingsFile: '/ws/workspace/settings.ts', vars: {} },
);

describe('resolveDbConnection', () => {
  it('a docker env defaults to localhost and the published port of the db container', () => {
    expect(resolveDbConnection(settings, 'dev', {})).toMatchObject({ host: 'localhost', port: 55432, user: 'ai', password: 'devpw', database: 'ai', source: 'settings of env dev' });
  });

  it('DB_* variables override single parts', () => {
    const c = resolveDbConnection(settings, 'prd', { DB_PASS: 's3cret', DB_PORT: '5433' });
    expect(c).toMatchObject({ host: 'db.internal', port: 5433, user: 'app', password: 's3cret', database: 'app' });
    expect(c.source).toBe('settings of env prd with DB_PORT, DB_PASS');
  });

  it('DATABASE_URL is the whole connection and wins over DB_*', () => {
    const c = resolveDbConnection(settings, 'dev', { DATABASE_URL: 'postgres://u:p%40ss@db:6000/x', DB_HOST: 'ignored' });
    expect(c).toMatchObject({ host: 'db', port: 6000, user: 'u', password: 'p@ss', database: 'x', source: 'DATABASE_URL' });
  });

  it('rejects a bad DB_PORT and a bad DATABASE_URL', () => {
    expect(() => resolveDbConnection(settings, 'dev', { DB_PORT: 'abc' })).toThrow(/DB_PORT/);
    expect(() => parseDatabaseUrl('mysql://a@b/c')).toThrow(/postgres:\/\//);
    expect(() => parseDatabaseUrl('not a url')).toThrow(/DATABASE_URL/);
  });

  it('describeConnection never shows the password', () => {
    const text = describeConnection(resolveDbConnection(settings, 'dev', { DB_PASS: 'hunter2' }));
    expect(text).toBe('postgres://ai:****@localhost:55432/ai');
    expect(text).not.toContain('hunter2');
  });
});
