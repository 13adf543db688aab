import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WsError } from '../../../cli/errors.js';
import { ACCOUNT_ID, FakeAws, SUBNET, VPC, VPC_CIDR, awsError } from './fake-aws.js';
import { kinds, makeWorkspace, run, type TestWorkspace } from './engine.js';

let fake: FakeAws;
let ws: TestWorkspace;
beforeEach(() => {
  fake = new FakeAws();
  fake.install();
  ws = makeWorkspace();
});
afterEach(() => {
  fake.restore();
  ws.remove();
});

const TD = 'ai-prd-td';
const td = () => fake.latest(TD)!.def;
const app = () => td().containerDefinitions[0];

describe('ws up -e prd -i aws', () => {
  it('creates every resource in dependency order, tagged, and a re-run changes nothing', async () => {
    const { plan, progress } = await run(ws, 'up');
    expect(plan.problems).toEqual([]);
    expect(kinds(plan)).toEqual([
      'create cluster ai-prd',
      'create log-group ai-prd-logs',
      'create role ai-prd-execution-role',
      'create role ai-prd-task-role',
      'create parameter ai-prd-param-api-key',
      'create parameter ai-prd-param-db-pass',
      'create security-group ai-prd-sg',
      'create task-definition ai-prd-td',
      'create service ai-prd-service',
    ]);
    const owned = { 'ws:workspace': 'ai', 'ws:env': 'prd' };
    expect(fake.clusters.get('ai-prd')?.tags).toMatchObject({ ...owned, 'ws:resource': 'ai-prd' });
    expect(fake.logGroups.get('ai-prd-logs')).toMatchObject({ retention: 30, tags: owned });
    expect(fake.parameters.get('/ai/prd/DB_PASS')).toMatchObject({ type: 'SecureString', value: 's3cr3t-Pa55', tags: owned });
    expect(fake.parameters.get('/ai/prd/API_KEY')).toMatchObject({ type: 'SecureString', value: 'key-123' });
    const [group] = [...fake.groups.values()];
    expect(group).toMatchObject({ name: 'ai-prd-sg', vpcId: VPC, tags: owned, ingress: [{ protocol: 'tcp', port: 8000, cidr: VPC_CIDR }] });
    expect(fake.families.get(TD)).toHaveLength(1);
    expect(fake.latest(TD)?.tags).toMatchObject(owned);
    const service = fake.services.get('ai-prd/ai-prd-service')!;
    expect(service.tags).toMatchObject(owned);
    expect(service.input).toMatchObject({
      launchType: 'FARGATE',
      enableExecuteCommand: true,
      desiredCount: 1,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: { awsvpcConfiguration: { subnets: [SUBNET], securityGroups: [[...fake.groups.keys()][0]], assignPublicIp: 'DISABLED' } },
    });
    expect(service.deployments).toMatchObject([{ rolloutState: 'COMPLETED', runningCount: 1 }]);
    expect(progress).toContain('service ai-prd-service in cluster ai-prd is stable on ai-prd-td:1');

    const again = await run(ws, 'up');
    expect(again.plan.actions.every((a) => a.kind === 'noop')).toBe(true);
    expect(fake.families.get(TD)).toHaveLength(1);
  });

  it('gives the roles least privilege: this env\'s parameters and log group, ECS exec channels on the task role', async () => {
    await run(ws, 'up');
    const exec = JSON.parse(fake.roles.get('ai-prd-execution-role')!.policies.get('ws-execution')!);
    const byId = Object.fromEntries(exec.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    expect(byId.ReadParameters).toMatchObject({ Action: ['ssm:GetParameters'], Resource: `arn:aws:ssm:us-east-1:${ACCOUNT_ID}:parameter/ai/prd/*` });
    expect(byId.WriteLogs.Resource).toBe(`arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:ai-prd-logs:*`);
    expect(byId.PullImage.Resource).toBe(`arn:aws:ecr:us-east-1:${ACCOUNT_ID}:repository/ai-api`);
    const task = JSON.parse(fake.roles.get('ai-prd-task-role')!.policies.get('ws-task')!);
    expect(task.Statement.flatMap((s: { Action: string[] }) => s.Action).sort()).toEqual([
      'ssmmessages:CreateControlChannel',
      'ssmmessages:CreateDataChannel',
      'ssmmessages:OpenControlChannel',
      'ssmmessages:OpenDataChannel',
    ]);
    expect(JSON.parse(fake.roles.get('ai-prd-task-role')!.trust).Statement[0].Principal.Service).toBe('ecs-tasks.amazonaws.com');
    // the policy round-trips through IAM's URL encoding and the account id: no drift on the next run
    const again = await run(ws, 'up', { type: 'role' });
    expect(kinds(again.plan)).toEqual(['noop role ai-prd-execution-role', 'noop role ai-prd-task-role']);
  });

  it('uses the given security groups instead of creating one', async () => {
    ws.env.WS_AWS_SECURITY_GROUPS = 'sg-0123abcd';
    fake.groups.set('sg-0123abcd', { name: 'shared', vpcId: VPC, description: '', tags: {}, ingress: [] });
    const { plan } = await run(ws, 'up');
    expect(kinds(plan)).not.toContain('create security-group ai-prd-sg');
    expect(fake.services.get('ai-prd/ai-prd-service')!.input.networkConfiguration.awsvpcConfiguration.securityGroups).toEqual(['sg-0123abcd']);
    expect(fake.groups.size).toBe(1);
  });
});

describe('ws patch --name td', () => {
  it('registers no revision when nothing changed, however often it runs', async () => {
    await run(ws, 'up');
    for (let i = 0; i < 2; i++) {
      const { plan } = await run(ws, 'patch', { name: 'td' });
      expect(kinds(plan)).toEqual(['noop task-definition ai-prd-td']);
    }
    expect(fake.count('ecs:RegisterTaskDefinition')).toBe(1);
  });

  it('registers exactly one more revision after the image changes, and shows the diff', async () => {
    await run(ws, 'up');
    ws.env.WS_PRD_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:1.1.0';
    const first = await run(ws, 'patch', { name: 'td' });
    expect(first.plan.actions[0]).toMatchObject({
      kind: 'update',
      changes: [{ field: 'containers.app.image', from: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:1.0.0', to: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:1.1.0' }],
    });
    expect(first.progress).toEqual(['registered task definition ai-prd-td:2']);
    await run(ws, 'patch', { name: 'td' });
    expect(fake.families.get(TD)).toHaveLength(2);
    expect(app().image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:1.1.0');
  });

  it('registers exactly one more revision after an environment value changes (prdDbEnabled -> MIGRATE_DB)', async () => {
    await run(ws, 'up');
    ws.env.WS_PRD_DB_ENABLED = 'false';
    const { plan } = await run(ws, 'patch', { name: 'td' });
    expect(plan.actions[0]!.changes).toEqual([
      { field: 'containers.app.environment.MIGRATE_DB', from: 'true', to: 'false' },
      { field: 'containers.app.environment.WAIT_FOR_DB', from: 'true', to: 'false' },
    ]);
    await run(ws, 'patch', { name: 'td' });
    expect(fake.families.get(TD)).toHaveLength(2);
  });

  it('passes secrets only as valueFrom references: never in environment, plans, progress or any ECS call', async () => {
    const result = await run(ws, 'up');
    expect(app().secrets).toEqual([
      { name: 'API_KEY', valueFrom: '/ai/prd/API_KEY' },
      { name: 'DB_PASS', valueFrom: '/ai/prd/DB_PASS' },
    ]);
    expect(app().environment.map((e: { name: string }) => e.name)).not.toContain('DB_PASS');
    expect(app().environment).toEqual(
      expect.arrayContaining([
        { name: 'DB_HOST', value: 'ai-prd-db.internal' },
        { name: 'DB_USER', value: 'ai' },
        { name: 'DB_DATABASE', value: 'ai' },
        { name: 'DB_PORT', value: '5432' },
      ]),
    );
    const ecsTraffic = JSON.stringify(fake.inputs.filter((i) => i.call.startsWith('ecs:')));
    for (const value of ['s3cr3t-Pa55', 'key-123']) {
      expect(ecsTraffic).not.toContain(value);
      expect(JSON.stringify(result.plan)).not.toContain(value);
      expect(result.progress.join('\n')).not.toContain(value);
    }
  });

  it('updates a changed secret in place and shows it only as ****', async () => {
    await run(ws, 'up');
    ws.writeSecrets({ DB_PASS: 'n3w-Pa55', API_KEY: 'key-123' });
    const { plan } = await run(ws, 'patch', { type: 'parameter' });
    expect(kinds(plan)).toEqual(['noop parameter ai-prd-param-api-key', 'update parameter ai-prd-param-db-pass']);
    expect(plan.actions[1]!.changes).toEqual([{ field: 'value', from: '****', to: '**** (changed)' }]);
    expect(JSON.stringify(plan)).not.toContain('n3w-Pa55');
    expect(fake.parameters.get('/ai/prd/DB_PASS')).toMatchObject({ value: 'n3w-Pa55', version: 2 });
  });
});

describe('ws patch --name service', () => {
  it('moves the service onto the latest revision and waits for the rollout', async () => {
    await run(ws, 'up');
    ws.env.WS_PRD_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:1.1.0';
    await run(ws, 'patch', { name: 'td' });
    const { plan, progress } = await run(ws, 'patch', { name: 'service' });
    expect(plan.actions[0]).toMatchObject({ kind: 'update', changes: [{ field: 'taskDefinition', from: 'ai-prd-td:1', to: 'ai-prd-td:2' }] });
    expect(fake.services.get('ai-prd/ai-prd-service')!.taskDefinition).toMatch(/ai-prd-td:2$/);
    expect(progress.some((l) => /primary deployment ai-prd-td:2 COMPLETED running 1\/1, pending 0/.test(l))).toBe(true);
    expect(progress.some((l) => l.includes('event: (service ai-prd-service) has reached a steady state.'))).toBe(true);
    expect(progress.at(-1)).toBe('service ai-prd-service in cluster ai-prd is stable on ai-prd-td:2');
  });

  it('patch without a filter registers the revision and moves the service in one run', async () => {
    await run(ws, 'up');
    ws.env.WS_PRD_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:2.0.0';
    const { plan } = await run(ws, 'patch');
    expect(plan.actions.filter((a) => a.kind !== 'noop').map((a) => a.resource.name)).toEqual(['ai-prd-td', 'ai-prd-service']);
    expect(plan.actions.find((a) => a.resource.name === 'ai-prd-service')!.changes).toEqual([{ field: 'taskDefinition', from: 'ai-prd-td:1', to: 'ai-prd-td:(new revision)' }]);
    expect(fake.services.get('ai-prd/ai-prd-service')!.taskDefinition).toMatch(/ai-prd-td:2$/);
  });

  it('fails with the reasons when the rollout fails (circuit breaker), so the command exits non-zero', async () => {
    await run(ws, 'up');
    const bad = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:broken';
    fake.badImages.add(bad);
    ws.env.WS_PRD_IMAGE = bad;
    await run(ws, 'patch', { name: 'td' });
    const error = await run(ws, 'patch', { name: 'service' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WsError);
    const e = error as WsError;
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain('service ai-prd-service in cluster ai-prd: the rollout failed');
    expect(e.message).toMatch(/task [0-9a-f]+: Essential container in task exited; app exited 1/);
    expect(e.message).toContain('ECS deployment circuit breaker: tasks failed to start.');
    expect(e.message).toContain('rolling back to deployment');
  });

  it('reports a rollout marked FAILED by ECS with its reason', async () => {
    await run(ws, 'up');
    ws.env.WS_PRD_IMAGE = 'x/ai-api:broken';
    fake.badImages.add('x/ai-api:broken');
    await run(ws, 'patch', { name: 'td' });
    const { loaded } = await ws.load();
    expect(loaded.settings.aws.image).toBe('x/ai-api:broken');
    // ECS marks the deployment FAILED before 3 tasks stopped are seen: the judge trusts ECS's rollout state
    const { judgeRollout } = await import('../../../infra/aws/rollout.js');
    const verdict = judgeRollout(
      {
        service: 'ai-prd-service',
        deployments: [{ id: 'd2', status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', taskDefinition: 'ai-prd-td:2', desired: 1, running: 0, pending: 0, failed: 1 }],
        events: [],
        stopped: [],
      },
      'd2',
      3,
    );
    expect(verdict).toEqual({ state: 'failed', reasons: ['ECS deployment circuit breaker: tasks failed to start.'] });
  });

  it('--no-wait returns right after UpdateService', async () => {
    await run(ws, 'up');
    ws.env.WS_PRD_IMAGE = 'x/ai-api:3';
    await run(ws, 'patch', { name: 'td' });
    const before = fake.count('ecs:DescribeServices');
    const { progress } = await run(ws, 'patch', { name: 'service' }, { wait: false });
    expect(fake.count('ecs:DescribeServices') - before).toBe(1); // observe only
    expect(progress).toEqual(['updated service ai-prd-service in cluster ai-prd on ai-prd-td:2', 'not waiting for the rollout of ai-prd-service (--no-wait)']);
  });

  it('times out with a clear message when the rollout does not settle', async () => {
    await run(ws, 'up');
    let clock = 0;
    ws.env.WS_PRD_IMAGE = 'x/ai-api:slow';
    await run(ws, 'patch', { name: 'td' });
    const error = await run(ws, 'patch', { name: 'service' }, { timeoutMs: 1000, poll: { intervalMs: 600, maxIntervalMs: 600, jitter: 0, now: () => clock, sleep: async (ms) => void (clock += ms) } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // the fake needs 2 polls; with a 1 s budget and 600 ms polls it gets them: completed
    expect(error).toBeUndefined();
    const tight = await run(ws, 'restart', { name: 'service' }, { timeoutMs: 0, poll: { intervalMs: 600, maxIntervalMs: 600, jitter: 0, now: () => clock, sleep: async (ms) => void (clock += ms) } }).catch((e: unknown) => e);
    expect((tight as Error).message).toMatch(/service ai-prd-service in cluster ai-prd: no steady state after 0 s .*raise --timeout/);
  });

  it('restart forces a new deployment of the same revision', async () => {
    await run(ws, 'up');
    const { plan } = await run(ws, 'restart', { name: 'service' });
    expect(kinds(plan)).toEqual(['replace service ai-prd-service']);
    expect(fake.inputsOf('ecs:UpdateService').at(-1)).toMatchObject({ forceNewDeployment: true, taskDefinition: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:task-definition/ai-prd-td:1` });
    expect(fake.services.get('ai-prd/ai-prd-service')!.deployments).toMatchObject([{ rolloutState: 'COMPLETED', taskDefinition: expect.stringMatching(/ai-prd-td:1$/) }]);
  });
});

describe('ws down -e prd -i aws', () => {
  it('deletes what the workspace made, in reverse order, and spares untagged resources', async () => {
    await run(ws, 'up');
    // someone else's log group with the same name (no ws tags)
    fake.logGroups.get('ai-prd-logs')!.tags = { team: 'other' };
    fake.groupInUse = 2; // ENIs still attached for two tries
    const { plan, progress } = await run(ws, 'down');
    expect(plan.notes).toEqual(['log-group ai-prd-logs exists but does not belong to this workspace: left alone']);
    expect(kinds(plan)).toEqual([
      'delete service ai-prd-service',
      'delete task-definition ai-prd-td',
      'delete security-group ai-prd-sg',
      'delete parameter ai-prd-param-db-pass',
      'delete parameter ai-prd-param-api-key',
      'delete role ai-prd-task-role',
      'delete role ai-prd-execution-role',
      'delete cluster ai-prd',
    ]);
    expect(fake.logGroups.has('ai-prd-logs')).toBe(true);
    expect(fake.clusters.size).toBe(0);
    expect(fake.roles.size).toBe(0);
    expect(fake.parameters.size).toBe(0);
    expect(fake.groups.size).toBe(0);
    expect(fake.latest(TD)).toBeUndefined();
    expect(progress.filter((l) => l.includes('still in use'))).toHaveLength(2);
    const again = await run(ws, 'down');
    expect(again.plan.actions.every((a) => a.kind === 'noop')).toBe(true);
  });

  it('refuses to touch a foreign resource with the same name on up', async () => {
    fake.clusters.set('ai-prd', { arn: 'arn:aws:ecs:us-east-1:1:cluster/ai-prd', status: 'ACTIVE', tags: {} });
    const { plan } = await run(ws, 'up');
    expect(plan.problems).toEqual(['cluster ai-prd exists but does not belong to this workspace (no ws labels/tags): remove or rename it, ws will not touch it']);
  });
});

describe('errors name the resource and say what to do', () => {
  it('a missing subnet', async () => {
    ws.env.WS_AWS_SUBNETS = 'subnet-0nope';
    await expect(run(ws, 'up')).rejects.toThrow('subnet subnet-0nope does not exist in us-east-1: check aws.subnets in workspace/settings.ts or WS_AWS_SUBNETS');
  });

  it('no subnets configured', async () => {
    ws.env.WS_AWS_SUBNETS = '';
    await expect(run(ws, 'up')).rejects.toThrow('create security group ai-prd-sg: no subnets configured: set aws.subnets in workspace/settings.ts or WS_AWS_SUBNETS');
    // what was created before converges on the next run
    ws.env.WS_AWS_SUBNETS = SUBNET;
    const { plan } = await run(ws, 'up');
    expect(plan.actions.filter((a) => a.kind === 'create').map((a) => a.resource.name)).toEqual(['ai-prd-sg', 'ai-prd-td', 'ai-prd-service']);
  });

  it('access denied', async () => {
    fake.failNext('ecs:CreateCluster', awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/ci is not authorized to perform: ecs:CreateCluster'));
    await expect(run(ws, 'up')).rejects.toThrow(/^create cluster ai-prd: access denied \(AccessDeniedException\): User: .* not authorized .* lack this permission/);
  });

  it('throttling that outlasts the SDK retries', async () => {
    fake.failNext('ecs:RegisterTaskDefinition', awsError('ThrottlingException', 'Rate exceeded'));
    await expect(run(ws, 'up')).rejects.toThrow('register task definition ai-prd-td: AWS kept throttling the requests after the SDK\'s retries (ThrottlingException): wait a minute and run the command again');
  });

  it('no credentials', async () => {
    fake.failNext('ecs:DescribeClusters', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    await expect(run(ws, 'up', { type: 'cluster' })).rejects.toThrow('describe cluster ai-prd: no AWS credentials found: set AWS_PROFILE');
  });

  it('patch service when the cluster is missing', async () => {
    const { plan } = await run(ws, 'patch', { name: 'service' });
    expect(plan.problems).toEqual(['service ai-prd-service does not exist: run ws up first']);
  });

  it('a throttled poll backs off instead of failing the rollout', async () => {
    await run(ws, 'up');
    fake.failNext('ecs:DescribeServices', awsError('ThrottlingException', 'Rate exceeded'), 1); // the first poll after the update
    const { plan, progress } = await run(ws, 'restart', { name: 'service' });
    expect(progress).toContain('service ai-prd-service: throttled by AWS, polling less often');
    expect(kinds(plan)).toEqual(['replace service ai-prd-service']);
    expect(fake.services.get('ai-prd/ai-prd-service')!.deployments[0]!.rolloutState).toBe('COMPLETED');
  });
});
