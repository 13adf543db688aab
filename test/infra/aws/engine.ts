/**
 * Runs ws's resource commands the way the CLI does (filter -> load workspace/<env>.ts -> observe ->
 * pure plan -> apply each action in order), over a throw-away workspace whose workspace/settings.ts
 * and workspace/prd.ts are the repository's own, with its own workspace/secrets/prd.env.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { varsForEnv } from '../../../db/connection.js';
import type { Driver } from '../../../infra/driver.js';
import { matches, validateFilter, type Filter } from '../../../infra/filter.js';
import { loadResources } from '../../../infra/load-resources.js';
import { loadWorkspace, type LoadedWorkspace } from '../../../infra/load-settings.js';
import { observeAndPlan } from '../../../infra/engine.js';
import { pendingActions, type Plan, type Verb } from '../../../infra/plan.js';
import type { Resource } from '../../../infra/resource.js';
import { createAwsDriver, type AwsDriverOptions } from '../../../infra/aws/driver.js';
import type { DriverContext } from '../../../infra/driver.js';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));

export interface TestWorkspace {
  readonly root: string;
  /** Environment the workspace is loaded with (stands for the process environment). */
  env: Record<string, string>;
  writeSecrets(lines: Record<string, string>): void;
  load(): Promise<{ loaded: LoadedWorkspace; ctx: DriverContext; all: Resource[] }>;
  remove(): void;
}

export const BASE_ENV = {
  WS_AWS_SUBNETS: 'subnet-0aaa1111',
  WS_PRD_IMAGE: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:1.0.0',
  AWS_REGION: 'us-east-1',
};

export function makeWorkspace(env: Record<string, string> = {}, secrets: Record<string, string> | undefined = { DB_PASS: 's3cr3t-Pa55', API_KEY: 'key-123' }): TestWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'ws-aws-'));
  mkdirSync(join(root, 'workspace', 'secrets'), { recursive: true });
  writeFileSync(join(root, 'workspace', 'settings.ts'), `export { default } from ${JSON.stringify(join(REPO, 'workspace', 'settings.ts'))};\n`);
  writeFileSync(join(root, 'workspace', 'prd.ts'), `export { default } from ${JSON.stringify(join(REPO, 'workspace', 'prd.ts'))};\n`);
  const ws: TestWorkspace = {
    root,
    env: { ...BASE_ENV, ...env },
    writeSecrets(lines) {
      writeFileSync(join(root, 'workspace', 'secrets', 'prd.env'), Object.entries(lines).map(([k, v]) => `${k}=${v}\n`).join(''));
    },
    async load() {
      const loaded = await loadWorkspace({ root, env: ws.env });
      const all = await loadResources(loaded, 'prd');
      return { loaded, ctx: { settings: loaded.settings, env: 'prd', vars: varsForEnv(loaded, 'prd') }, all };
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  if (secrets) ws.writeSecrets(secrets);
  return ws;
}

export interface RunResult {
  readonly plan: Plan;
  readonly progress: string[];
  readonly driver: Driver;
}

/** `ws <verb> -e prd [filter] -y` through the shared engine, with the AWS driver. */
export async function run(ws: TestWorkspace, verb: Verb, filter: Filter = {}, opts: AwsDriverOptions & { force?: boolean } = {}): Promise<RunResult> {
  const { loaded, ctx, all } = await ws.load();
  const f = validateFilter({ env: 'prd', ...filter }, loaded.settings);
  const desired = all.filter((r) => matches(r, f));
  const driver = await createAwsDriver(ctx, { poll: { intervalMs: 0, maxIntervalMs: 0, jitter: 0 }, ...opts });
  const progress: string[] = [];
  try {
    const p = await observeAndPlan(driver, { verb, selected: desired, all, force: Boolean(opts.force) });
    if (p.problems.length) return { plan: p, progress, driver };
    for (const action of pendingActions(p)) await driver.apply(action, { progress: (m) => progress.push(m) });
    return { plan: p, progress, driver };
  } finally {
    await driver.close?.();
  }
}

export const kinds = (p: Plan) => p.actions.map((a) => `${a.kind} ${a.resource.type} ${a.resource.name}`);
