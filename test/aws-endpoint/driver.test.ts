/**
 * Opt-in: the driver scenarios against a real AWS-compatible endpoint (moto, LocalStack, or an
 * account you can spare). Excluded from `npm test`; run with
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:5000 npx vitest run test/aws-endpoint
 *
 * Against an emulator it creates its own VPC and subnet; against real AWS set WS_AWS_SUBNETS and
 * WS_PRD_IMAGE (an image that really starts) — it creates and then deletes ai-prd-* resources.
 * Endpoints that run no containers (moto) never finish a rollout: those scenarios run with
 * --no-wait there (WS_TEST_ENDPOINT_RUNS_TASKS=1 turns the waits on).
 */
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../infra/plan.js';
import { kinds, makeWorkspace, run, type TestWorkspace } from '../infra/aws/engine.js';

const endpoint = process.env.AWS_ENDPOINT_URL;
const runsTasks = process.env.WS_TEST_ENDPOINT_RUNS_TASKS === '1';
const region = process.env.AWS_REGION ?? 'us-east-1';
const wait = runsTasks;
/** Fields the endpoint does not give back (moto: the service's circuit breaker and execute-command flag). */
const ignored = new Set((process.env.WS_TEST_ENDPOINT_IGNORE_FIELDS ?? 'circuitBreaker.enable,circuitBreaker.rollback,enableExecuteCommand').split(',').filter(Boolean));
const pending = (p: Plan) =>
  p.actions
    .map((a) => ({ ...a, changes: a.changes.filter((c) => !ignored.has(c.field)) }))
    .filter((a) => a.kind !== 'noop' && (a.kind !== 'update' || a.changes.length > 0))
    .map((a) => `${a.kind} ${a.resource.name} ${JSON.stringify(a.changes)}`);

describe.skipIf(!endpoint)(`the AWS driver against ${endpoint}`, () => {
  let ws: TestWorkspace;
  let subnet = process.env.WS_AWS_SUBNETS ?? '';
  let revision = 0;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'testing';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
    if (!subnet) {
      const ec2 = new EC2Client({ region, endpoint });
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }));
      const sn = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.42.1.0/24' }));
      subnet = sn.Subnet!.SubnetId!;
    }
    ws = makeWorkspace({ AWS_ENDPOINT_URL: endpoint!, AWS_REGION: region, WS_AWS_SUBNETS: subnet });
    await run(ws, 'down', {}, { wait });
  });
  afterAll(async () => {
    await run(ws, 'down', {}, { wait }).catch(() => undefined);
    ws.remove();
  });

  it('up creates everything, and a second up changes nothing', async () => {
    const first = await run(ws, 'up', {}, { wait });
    expect(first.plan.problems).toEqual([]);
    expect(first.plan.actions.map((a) => a.kind)).toEqual(Array(9).fill('create'));
    const again = await run(ws, 'up', {}, { wait });
    expect(pending(again.plan)).toEqual([]);
  });

  it('patch td twice registers nothing; a new image registers exactly one revision', async () => {
    for (let i = 0; i < 2; i++) {
      const { plan } = await run(ws, 'patch', { name: 'td' }, { wait });
      expect(kinds(plan)).toEqual(['noop task-definition ai-prd-td']);
      // revisions are never reused: a re-run of this suite starts above 1
      revision = (plan.actions[0]!.observed!.state as { revision: number }).revision;
    }
    ws.env.WS_PRD_IMAGE = `${ws.env.WS_PRD_IMAGE}-next`;
    const changed = await run(ws, 'patch', { name: 'td' }, { wait });
    expect(changed.plan.actions[0]!.changes.map((c) => c.field)).toEqual(['containers.app.image']);
    expect(changed.progress).toEqual([`registered task definition ai-prd-td:${revision + 1}`]);
    expect(kinds((await run(ws, 'patch', { name: 'td' }, { wait })).plan)).toEqual(['noop task-definition ai-prd-td']);
  });

  it('patch service moves the service onto the new revision', async () => {
    const { plan } = await run(ws, 'patch', { name: 'service' }, { wait });
    expect(plan.actions[0]!.changes).toContainEqual({ field: 'taskDefinition', from: `ai-prd-td:${revision}`, to: `ai-prd-td:${revision + 1}` });
    expect(pending((await run(ws, 'patch', { name: 'service' }, { wait })).plan)).toEqual([]);
  });

  it.skipIf(!runsTasks)('db migrate runs a one-off task and returns its exit code', async () => {
    const { runMigrationTask } = await import('../../infra/aws/migrate-task.js');
    const { ctx, all } = await ws.load();
    const lines: string[] = [];
    const code = await runMigrationTask(ctx, all, { reporter: { progress: (m) => void lines.push(m) } });
    expect(typeof code).toBe('number');
    expect(lines.some((l) => /^migration task \S+ exited with code \d+$/.test(l))).toBe(true);
  });

  it('down removes what up made', async () => {
    const { plan } = await run(ws, 'down', {}, { wait });
    expect(plan.actions.filter((a) => a.kind === 'delete')).toHaveLength(9);
    const after = await run(ws, 'down', {}, { wait });
    expect(after.plan.actions.every((a) => a.kind === 'noop')).toBe(true);
  });
});
