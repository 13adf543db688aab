/**
 * Loads `workspace/settings.ts`, applies defaults and overrides, validates, and freezes the result.
 *
 * Precedence, lowest to highest (each later source wins, key by key):
 *   1. workspace/settings.ts (and the defaults below for what it leaves out)
 *   2. workspace/secrets/<env>.env   (gitignored KEY=VALUE lines; only for the db password & secrets)
 *   3. .env at the workspace root
 *   4. the process environment
 * The variables of 2-4 that change settings are listed in OVERRIDES; the db connection variables
 * (DATABASE_URL, DB_*) are applied per env by db/connection.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import * as v from 'valibot';
import { SettingsError, UsageError } from '../cli/errors.js';
import { importTs } from './import-ts.js';
import { INFRAS, type ResolvedWorkspace, type WorkspaceInput } from './settings.js';

export const SETTINGS_FILE = join('workspace', 'settings.ts');

export type Vars = Readonly<Record<string, string | undefined>>;

export interface LoadedWorkspace {
  readonly settings: ResolvedWorkspace;
  /** .env merged under the process environment (process wins). */
  readonly vars: Vars;
}

type Kind = 'string' | 'port' | 'list' | 'boolean';
/** Environment variables that override settings fields (documented in the README). */
export const OVERRIDES: ReadonlyArray<{ variable: string; path: string; kind: Kind }> = [
  { variable: 'WS_DEV_DB_IMAGE', path: 'images.devDb', kind: 'string' },
  { variable: 'WS_NODE_IMAGE', path: 'images.node', kind: 'string' },
  { variable: 'WS_APP_IMAGE', path: 'images.app', kind: 'string' },
  { variable: 'WS_IMAGE_TAG', path: 'images.tag', kind: 'string' },
  { variable: 'WS_DEV_DB_PORT', path: 'docker.dbPort', kind: 'port' },
  { variable: 'WS_DEV_API_PORT', path: 'docker.apiPort', kind: 'port' },
  { variable: 'WS_PRD_IMAGE', path: 'aws.image', kind: 'string' },
  { variable: 'WS_AWS_SUBNETS', path: 'aws.subnets', kind: 'list' },
  { variable: 'WS_AWS_SECURITY_GROUPS', path: 'aws.securityGroups', kind: 'list' },
  { variable: 'AWS_REGION', path: 'aws.region', kind: 'string' },
  { variable: 'WS_PRD_DB_ENABLED', path: 'prdDbEnabled', kind: 'boolean' },
];

const DEFAULTS = {
  defaultEnv: 'dev',
  prdDbEnabled: true,
  appPort: 8000,
  images: { app: 'ai-api', tag: 'dev', devDb: 'postgres:17', node: 'node:20-bookworm-slim' },
  docker: { dbPort: 5432, apiPort: 8000 },
  aws: { region: 'us-east-1', image: '', subnets: [], securityGroups: [], cpu: 512, memory: 1024, desiredCount: 1 },
};

const name = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/, 'expected lowercase letters, digits and dashes'));
const text = v.pipe(v.string(), v.minLength(1, 'expected a non-empty string'));
const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
const count = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));
const schema = v.strictObject({
  name,
  defaultEnv: name,
  envs: v.record(
    name,
    v.strictObject({
      infra: v.picklist(INFRAS),
      db: v.strictObject({
        host: v.optional(text),
        port: v.optional(port),
        user: text,
        password: v.optional(v.string()),
        database: text,
      }),
    }),
  ),
  images: v.strictObject({ app: text, tag: text, devDb: text, node: text }),
  docker: v.strictObject({ dbPort: port, apiPort: port }),
  aws: v.strictObject({
    region: text,
    image: v.string(),
    subnets: v.array(text),
    securityGroups: v.array(text),
    cpu: count(1),
    memory: count(1),
    desiredCount: count(0),
  }),
  prdDbEnabled: v.boolean(),
  appPort: port,
});

/** The folder that holds workspace/settings.ts: WS_ROOT, else the nearest one up from `from`. */
export function findWorkspaceRoot(from: string = process.cwd(), env: Vars = process.env): string {
  if (env.WS_ROOT) {
    const root = resolve(env.WS_ROOT);
    if (!existsSync(join(root, SETTINGS_FILE))) throw new UsageError(`WS_ROOT=${env.WS_ROOT}: no ${SETTINGS_FILE} there`);
    return root;
  }
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, SETTINGS_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new UsageError(`no ${SETTINGS_FILE} found in ${from} or any parent folder (set WS_ROOT to the workspace folder)`);
    dir = parent;
  }
}

export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const parsed = parseEnv(readFileSync(file, 'utf8'));
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => e[1] !== undefined));
}

export async function loadWorkspace(options: { root?: string; env?: Vars } = {}): Promise<LoadedWorkspace> {
  const processEnv = options.env ?? process.env;
  const root = options.root ?? findWorkspaceRoot(process.cwd(), processEnv);
  const settingsFile = join(root, SETTINGS_FILE);
  const vars: Vars = Object.freeze({ ...readEnvFile(join(root, '.env')), ...processEnv });
  let input: unknown;
  try {
    input = await importTs(settingsFile);
  } catch (error) {
    throw new SettingsError(`${relative(process.cwd(), settingsFile) || settingsFile}: cannot load: ${(error as Error).message}`, { cause: error });
  }
  return { settings: resolveSettings(input, { root, settingsFile, vars }), vars };
}

/** Pure: settings file value + variables -> validated, frozen settings. */
export function resolveSettings(input: unknown, ctx: { root: string; settingsFile: string; vars: Vars }): ResolvedWorkspace {
  const shown = relative(ctx.root, ctx.settingsFile);
  if (typeof input !== 'object' || input === null) {
    throw new SettingsError(`${shown}: the default export must be defineWorkspace({...})`);
  }
  const raw = input as WorkspaceInput;
  const merged: Record<string, unknown> = {
    ...DEFAULTS,
    ...raw,
    images: { ...DEFAULTS.images, ...raw.images },
    docker: { ...DEFAULTS.docker, ...raw.docker },
    aws: { ...DEFAULTS.aws, ...raw.aws },
  };
  const overridden = new Map<string, string>();
  for (const o of OVERRIDES) {
    const text = ctx.vars[o.variable];
    if (text === undefined || text === '') continue;
    setPath(merged, o.path, parseOverride(o.variable, text, o.kind));
    overridden.set(o.path, o.variable);
  }
  const parsed = v.safeParse(schema, merged);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue) ?? '';
    const fromVar = overridden.get(path);
    const where = fromVar ? `${fromVar} (environment)` : shown;
    const reason = issue.received === 'undefined' ? 'missing required value' : issue.expected === 'never' ? 'unknown field (check the spelling)' : issue.message;
    throw new SettingsError(`invalid setting ${path || '(root)'} in ${where}: ${reason}`);
  }
  const settings = parsed.output;
  if (!(settings.defaultEnv in settings.envs)) {
    throw new SettingsError(`invalid setting defaultEnv in ${shown}: "${settings.defaultEnv}" is not one of the envs (${Object.keys(settings.envs).join(', ')})`);
  }
  return deepFreeze({ ...settings, root: ctx.root, settingsFile: ctx.settingsFile }) as ResolvedWorkspace;
}

/** The env a command works on: --env, else the default env; unknown names are usage errors. */
export function selectEnv(settings: ResolvedWorkspace, env: string | undefined): string {
  const selected = env ?? settings.defaultEnv;
  if (!(selected in settings.envs)) {
    throw new UsageError(`unknown env "${selected}": this workspace has ${Object.keys(settings.envs).join(', ')}`);
  }
  return selected;
}

function parseOverride(variable: string, text: string, kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'list':
      return text.split(',').map((s) => s.trim()).filter(Boolean);
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      throw new SettingsError(`invalid ${variable}="${text}" (environment): expected true or false`);
    case 'port': {
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new SettingsError(`invalid ${variable}="${text}" (environment): expected a port number 1-65535`);
      return n;
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
