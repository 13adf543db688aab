import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initMigrations, nextTimestamp, slugify, writeRevision } from '../../db/revision.js';
import { ws } from '../helpers/cli.js';
import { makeTempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

describe('revision files', () => {
  let tmp: TempWorkspace | undefined;
  afterEach(() => tmp?.remove());

  it('slugs the message', () => {
    expect(slugify('Initialize DB')).toBe('initialize_db');
    expect(slugify('  Add e-mail (unique) to Users! ')).toBe('add_e_mail_unique_to_users');
    expect(() => slugify('!!!')).toThrow(/at least one letter/);
  });

  it('timestamps always sort after the existing migrations', () => {
    expect(nextTimestamp([], new Date(Date.UTC(2026, 10, 25, 9, 30, 0)))).toBe('20261125093000');
    expect(nextTimestamp(['20261125093000_a.ts'], new Date(Date.UTC(2026, 10, 25, 9, 30, 0)))).toBe('20261125093001');
    expect(nextTimestamp(['20301231235959_future.ts'], new Date(Date.UTC(2026, 0, 1)))).toBe('20310101000000');
  });

  it('ws db revision writes a typed up/down file and prints its path; two in the same second stay ordered', async () => {
    tmp = makeTempWorkspace();
    const a = await ws(['db', 'revision', '-m', 'add name to users'], { env: { WS_ROOT: tmp.root } });
    const b = await ws(['db', 'revision', '-m', 'add name to users'], { env: { WS_ROOT: tmp.root } });
    expect(a.exitCode).toBe(0);
    const files = readdirSync(join(tmp.root, 'db/migrations')).sort();
    expect(files).toHaveLength(3);
    expect(files[1]).toMatch(/^\d{14}_add_name_to_users\.ts$/);
    expect(files[1]! < files[2]!).toBe(true);
    expect(a.stdout.trim()).toBe(`created ${join(tmp.root, 'db/migrations', files[1]!)}`);
    expect(b.stdout).toContain(files[2]!);
    const body = readFileSync(join(tmp.root, 'db/migrations', files[1]!), 'utf8');
    expect(body).toMatch(/export async function up\(db: Kysely<any>\): Promise<void>/);
    expect(body).toMatch(/export async function down\(db: Kysely<any>\): Promise<void>/);
  });

  it('init creates what is missing and is idempotent', async () => {
    tmp = makeTempWorkspace();
    tmp.remove();
    tmp = makeTempWorkspace();
    const { rmSync } = await import('node:fs');
    rmSync(join(tmp.root, 'db/migrations'), { recursive: true });
    expect(await initMigrations(tmp.root)).toEqual([join(tmp.root, 'db/migrations')]);
    expect(existsSync(join(tmp.root, 'db/migrations'))).toBe(true);
    expect(await initMigrations(tmp.root)).toEqual([]);
    const r = await ws(['db', 'init'], { env: { WS_ROOT: tmp.root } });
    expect(r.stdout).toContain('already initialised');
    await expect(writeRevision(join(tmp.root, 'nowhere'), 'x')).rejects.toThrow(/ws db init/);
  });
});
