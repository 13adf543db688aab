import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WsError } from '../../../cli/errors.js';
import { awsExec, awsLogs, commandString, PLUGIN } from '../../../infra/aws/exec.js';
import { migrationCommand, runMigrationTask } from '../../../infra/aws/migrate-task.js';
import { TEST_POLL } from '../../../infra/aws/poll.js';
import { FakeAws } from './fake-aws.js';
import { makeWorkspace, run, type TestWorkspace } from './engine.js';

let fake: FakeAws;
let ws: TestWorkspace;
beforeEach(async () => {
  fake = new FakeAws();
  fake.install();
  ws = makeWorkspace();
  await run(ws, 'up');
});
afterEach(() => {
  fake.restore();
  ws.remove();
});

function reporter() {
  const lines: string[] = [];
  return { lines, progress: (m: string) => void lines.push(m) };
}

describe('ws db migrate --env prd (runMigrationTask)', () => {
  it('runs the migrator as a one-off task of the service, prints its logs and returns exit code 0', async () => {
    const { ctx, all } = await ws.load();
    const r = reporter();
    const code = await runMigrationTask(ctx, all, { reporter: r, poll: TEST_POLL });
    expect(code).toBe(0);
    const input = fake.inputsOf('ecs:RunTask')[0]!;
    const service = fake.services.get('ai-prd/ai-prd-service')!;
    expect(input).toMatchObject({
      cluster: 'ai-prd',
      taskDefinition: service.taskDefinition,
      launchType: 'FARGATE',
      networkConfiguration: service.input.networkConfiguration,
      overrides: { containerOverrides: [{ name: 'app', command: ['node', 'bin/ws.js', 'db', 'migrate', '--direct'], environment: [{ name: 'MIGRATE_DB', value: 'false' }] }] },
    });
    expect(r.lines).toContain('$ node bin/ws.js db migrate --direct');
    expect(r.lines).toContain('applied 20261125000000_initialize_db');
    expect(r.lines.at(-1)).toMatch(/^migration task [0-9a-f]+ exited with code 0$/);
  });

  it('prints the log lines as lines that stay (done) when the presenter redraws progress', async () => {
    const { ctx, all } = await ws.load();
    const kept: string[] = [];
    const redrawn: string[] = [];
    await runMigrationTask(ctx, all, { reporter: { progress: (m: string) => void redrawn.push(m), done: (m: string) => void kept.push(m) } as never, poll: TEST_POLL });
    expect(kept).toContain('applied 20261125000000_initialize_db');
    expect(redrawn.every((l) => l.startsWith('migration task '))).toBe(true);
  });

  it('returns the task\'s non-zero exit code and passes --to', async () => {
    fake.runTaskExitCode = 3;
    const { ctx, all } = await ws.load();
    const r = reporter();
    expect(await runMigrationTask(ctx, all, { to: '20261125000000', reporter: r, poll: TEST_POLL })).toBe(3);
    expect(fake.inputsOf('ecs:RunTask')[0]!.overrides.containerOverrides[0].command).toEqual(migrationCommand('20261125000000'));
    expect(r.lines).toContain('migration failed: relation "dim_users" already exists');
  });

  it('a task stopped without an exit code is an error with the reason', async () => {
    fake.runTaskExitCode = undefined;
    fake.runTaskStopReason = 'Task failed to start';
    const { ctx, all } = await ws.load();
    const error = await runMigrationTask(ctx, all, { reporter: reporter(), poll: TEST_POLL }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsError);
    expect((error as Error).message).toMatch(/^migration task [0-9a-f]+ in cluster ai-prd stopped without an exit code: Task failed to start; CannotPullContainerError/);
  });

  it('a missing service says to run ws up', async () => {
    await run(ws, 'down');
    fake.clusters.set('ai-prd', { arn: 'arn', status: 'ACTIVE', tags: {} });
    const { ctx, all } = await ws.load();
    await expect(runMigrationTask(ctx, all, { reporter: reporter(), poll: TEST_POLL })).rejects.toThrow('service ai-prd-service does not exist in cluster ai-prd: run ws up -e <env> -i aws first');
    fake.clusters.clear();
    await expect(runMigrationTask(ctx, all, { reporter: reporter(), poll: TEST_POLL })).rejects.toThrow('cluster ai-prd does not exist');
  });
});

describe('ws exec --env prd', () => {
  it('without session-manager-plugin on PATH: says so and how to install it, exit 1, before any API call', async () => {
    const { ctx, all } = await ws.load();
    const calls = fake.calls.length;
    const error = await awsExec(ctx, all, { command: ['ls'], interactive: false, path: '/nonexistent' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsError);
    expect((error as WsError).exitCode).toBe(1);
    expect((error as Error).message).toContain("needs AWS's session-manager-plugin, which is not on PATH");
    expect((error as Error).message).toContain('session-manager-working-with-install-plugin');
    expect(fake.calls.length).toBe(calls);
  });

  it('calls ExecuteCommand on a running task and hands the session to the plugin', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'ws-smp-'));
    const out = join(bin, 'args.json');
    writeFileSync(join(bin, PLUGIN), `#!/bin/sh\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))' ${out} "$@"\nexit 7\n`);
    chmodSync(join(bin, PLUGIN), 0o755);
    try {
      const { ctx, all } = await ws.load();
      const code = await awsExec(ctx, all, { command: ['ws', 'db', 'status', "it's"], interactive: true, path: `${bin}:${process.env.PATH}` });
      expect(code).toBe(7);
      expect(fake.inputsOf('ecs:ExecuteCommand')[0]).toMatchObject({ cluster: 'ai-prd', container: 'app', command: `ws db status 'it'\\''s'`, interactive: true });
      const args = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')) as string[];
      expect(JSON.parse(args[0]!)).toMatchObject({ sessionId: 'ecs-execute-command-0abc' });
      expect(args.slice(1, 3)).toEqual(['us-east-1', 'StartSession']);
      expect(JSON.parse(args[4]!).Target).toMatch(/^ecs:ai-prd_[0-9a-f]+_[0-9a-f]+$/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('commandString quotes what a shell would split', () => {
    expect(commandString(['psql', '-c', 'select 1'])).toBe("psql -c 'select 1'");
    expect(commandString(['echo', 'a=b', '/x/y.z'])).toBe('echo a=b /x/y.z');
  });
});

describe('ws logs --env prd', () => {
  it('prints the last lines of the service container streams', async () => {
    const { ctx, all } = await ws.load();
    await runMigrationTask(ctx, all, { reporter: reporter(), poll: TEST_POLL });
    const lines: string[] = [];
    expect(await awsLogs(ctx, all, { follow: false, tail: 1, write: (l) => void lines.push(l) })).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^[0-9a-f]{8} \d{4}-\d\d-\d\dT.* applied 20261125000000_initialize_db$/);
  });

  it('--follow prints new events once each until stopped', async () => {
    const { ctx, all } = await ws.load();
    const stream = fake.logGroups.get('ai-prd-logs')!.streams;
    stream.set('app/app/0000abcd', [{ timestamp: Date.now(), message: 'first' }]);
    const lines: string[] = [];
    const stop = new AbortController();
    const following = awsLogs(ctx, all, { follow: true, tail: 10, poll: { intervalMs: 1, maxIntervalMs: 1, jitter: 0 }, signal: stop.signal, write: (l) => void lines.push(l) });
    await new Promise((r) => setTimeout(r, 20));
    stream.get('app/app/0000abcd')!.push({ timestamp: Date.now() + 5, message: 'second' });
    await new Promise((r) => setTimeout(r, 30));
    stop.abort();
    expect(await following).toBe(0);
    expect(lines.map((l) => l.split(' ').slice(2).join(' '))).toEqual(['first', 'second']);
  });

  it('a missing log group says to run ws up', async () => {
    fake.logGroups.clear();
    const { ctx, all } = await ws.load();
    await expect(awsLogs(ctx, all, { follow: false, write: () => undefined })).rejects.toThrow('log group ai-prd-logs does not exist: run ws up -e prd -i aws first');
  });
});
