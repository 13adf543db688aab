import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secret } from '../../../infra/resource.js';
import { diff } from '../../../infra/aws/diff.js';
import { explainAwsError } from '../../../infra/aws/errors.js';
import { clientConfig } from '../../../infra/aws/clients.js';
import { Poller } from '../../../infra/aws/poll.js';
import { judgeRollout, renderRollout, type RolloutSnapshot } from '../../../infra/aws/rollout.js';
import { compareTaskDefinition, normalizeTaskDefinition, registerInput } from '../../../infra/aws/taskdef.js';
import type { TaskDefinitionSpec } from '../../../infra/aws/resources.js';
import { REPO } from './engine.js';

const spec: TaskDefinitionSpec = {
  family: 'ai-prd-td',
  cpu: 512,
  memory: 1024,
  executionRole: 'ai-prd-execution-role',
  taskRole: 'ai-prd-task-role',
  container: {
    name: 'app',
    image: 'repo/ai-api:1',
    port: 8000,
    environment: { B: '2', A: '1' },
    secrets: { DB_PASS: '/ai/prd/DB_PASS' },
    logGroup: 'ai-prd-logs',
    logStreamPrefix: 'app',
    healthCheck: { command: ['CMD-SHELL', 'true'] },
  },
};

/** What DescribeTaskDefinition returns for that spec: ARNs, strings, defaults, other order. */
const described = {
  family: 'ai-prd-td',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/ai-prd-td:4',
  revision: 4,
  status: 'ACTIVE',
  cpu: '512',
  memory: '1024',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  compatibilities: ['EC2', 'FARGATE'],
  executionRoleArn: 'arn:aws:iam::123456789012:role/ai-prd-execution-role',
  taskRoleArn: 'arn:aws:iam::123456789012:role/ai-prd-task-role',
  volumes: [],
  placementConstraints: [],
  containerDefinitions: [
    {
      name: 'app',
      image: 'repo/ai-api:1',
      cpu: 0,
      portMappings: [{ containerPort: 8000 }],
      essential: true,
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      secrets: [{ name: 'DB_PASS', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/ai/prd/DB_PASS' }],
      mountPoints: [],
      volumesFrom: [],
      systemControls: [],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'app', 'awslogs-region': 'us-east-1', 'awslogs-group': 'ai-prd-logs' } },
      healthCheck: { command: ['CMD-SHELL', 'true'], interval: 30, timeout: 5, retries: 3 },
    },
  ],
};

describe('task definition normalisation', () => {
  it('sees no difference once the defaults ECS fills in are normalised', () => {
    expect(compareTaskDefinition(spec, 'us-east-1', described)).toEqual([]);
  });

  it('reports each real difference as one field', () => {
    const changed = { ...spec, cpu: 1024, container: { ...spec.container, image: 'repo/ai-api:2', environment: { A: '1' }, secrets: {} } };
    expect(compareTaskDefinition(changed, 'us-east-1', described)).toEqual([
      { field: 'containers.app.environment.B', from: '2' },
      { field: 'containers.app.image', from: 'repo/ai-api:1', to: 'repo/ai-api:2' },
      { field: 'containers.app.secrets.DB_PASS', from: '/ai/prd/DB_PASS' },
      { field: 'cpu', from: '512', to: '1024' },
    ]);
  });

  it('registers secrets as valueFrom and never as environment', () => {
    const input = registerInput(spec, { executionRoleArn: 'arn:x', taskRoleArn: 'arn:y', region: 'us-east-1' });
    expect(input.containerDefinitions[0]!.secrets).toEqual([{ name: 'DB_PASS', valueFrom: '/ai/prd/DB_PASS' }]);
    expect(input.containerDefinitions[0]!.environment.map((e) => e.name)).toEqual(['A', 'B']);
  });

  it('hostPort defaults to containerPort only under awsvpc/host', () => {
    const bridge = normalizeTaskDefinition({ networkMode: 'bridge', containerDefinitions: [{ name: 'a', portMappings: [{ containerPort: 80 }] }] });
    expect(bridge.containers.a!.ports).toEqual({ '80/tcp': 0 });
    const awsvpc = normalizeTaskDefinition({ networkMode: 'awsvpc', containerDefinitions: [{ name: 'a', portMappings: [{ containerPort: 80, protocol: 'TCP' }] }] });
    expect(awsvpc.containers.a!.ports).toEqual({ '80/tcp': 80 });
  });
});

describe('diff', () => {
  it('renders secrets as **** and flattens records into dotted paths', () => {
    expect(diff({ a: { b: 1 }, s: secret('x') }, { a: { b: 2 }, s: secret('y') })).toEqual([{ field: 'a.b', from: '2', to: '1' }]);
    // a Secret of another module copy (workspace files load through jiti) is still a secret
    const foreign = { [Symbol.for('ws.secret')]: true, reveal: () => 'x', toString: () => '****' };
    expect(diff({ s: foreign }, {})).toEqual([{ field: 's', to: '****' }]);
    expect(diff({ list: ['a', 'b'] }, {})).toEqual([{ field: 'list', to: '["a","b"]' }]);
  });
});

describe('rollout view and judge', () => {
  const base: RolloutSnapshot = {
    service: 'ai-prd-service',
    deployments: [
      { id: 'd2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: '', taskDefinition: 'ai-prd-td:2', desired: 2, running: 1, pending: 1, failed: 0 },
      { id: 'd1', status: 'ACTIVE', rolloutState: 'COMPLETED', rolloutStateReason: '', taskDefinition: 'ai-prd-td:1', desired: 2, running: 2, pending: 0, failed: 0 },
    ],
    events: [{ id: 'e1', at: 1, message: '(service ai-prd-service) has started 1 tasks: (task abc).' }],
    stopped: [],
  };

  it('renders deployments, events and stopped tasks, and only what changed afterwards (golden)', () => {
    const text = (s: RolloutSnapshot, p?: RolloutSnapshot) => renderRollout(s, p).map((l) => `${l.kind === 'event' ? '+' : '~'} ${l.text}`);
    expect(text(base)).toEqual([
      '~ service ai-prd-service: primary deployment ai-prd-td:2 IN_PROGRESS running 1/2, pending 1',
      '~ service ai-prd-service: active deployment ai-prd-td:1 COMPLETED running 2/2, pending 0',
      '+   event: (service ai-prd-service) has started 1 tasks: (task abc).',
    ]);
    const next: RolloutSnapshot = {
      ...base,
      deployments: [{ ...base.deployments[0]!, failed: 1 }, base.deployments[1]!],
      stopped: [{ id: 'abc', reason: 'task abc: Essential container in task exited; app exited 1' }],
    };
    expect(text(next, base)).toEqual([
      '~ service ai-prd-service: primary deployment ai-prd-td:2 IN_PROGRESS running 1/2, pending 1, failed 1',
      '+   stopped task abc: Essential container in task exited; app exited 1',
    ]);
  });

  it('waits while old tasks drain, is done at a single completed deployment', () => {
    expect(judgeRollout(base, 'd2', 3)).toEqual({ state: 'waiting' });
    const done: RolloutSnapshot = { ...base, deployments: [{ ...base.deployments[0]!, rolloutState: 'COMPLETED', running: 2, pending: 0 }] };
    expect(judgeRollout(done, 'd2', 3)).toEqual({ state: 'done' });
  });

  it('fails early when tasks of the new deployment keep stopping, or the deployment is rolled back', () => {
    const stopping: RolloutSnapshot = {
      ...base,
      stopped: ['a', 'b', 'c'].map((id) => ({ id, reason: `task ${id}: Essential container in task exited; app exited 1` })),
    };
    const v = judgeRollout(stopping, 'd2', 3);
    expect(v.state).toBe('failed');
    expect((v as { reasons: string[] }).reasons[0]).toBe('3 tasks of ai-prd-td:2 stopped before the rollout completed');
    const rolledBack: RolloutSnapshot = { ...base, deployments: [{ ...base.deployments[1]!, status: 'PRIMARY' }, { ...base.deployments[0]!, status: 'ACTIVE' }] };
    expect((judgeRollout(rolledBack, 'd2', 3) as { reasons: string[] }).reasons[0]).toBe('rolled back to ai-prd-td:1 (circuit breaker)');
  });
});

describe('poller', () => {
  it('jitters around the interval, backs off on throttling up to the maximum, recovers after', () => {
    const p = new Poller({ intervalMs: 1000, maxIntervalMs: 5000, jitter: 0.2 }, 60_000);
    expect(p.nextDelay(false, () => 0)).toBe(800);
    expect(p.nextDelay(false, () => 1)).toBe(1200);
    expect(p.nextDelay(true, () => 0.5)).toBe(2000);
    expect(p.nextDelay(true, () => 0.5)).toBe(4000);
    expect(p.nextDelay(true, () => 0.5)).toBe(5000);
    expect(p.nextDelay(false, () => 0.5)).toBe(1000);
  });
});

describe('errors and configuration', () => {
  it('explains the failures users hit', () => {
    expect(explainAwsError(Object.assign(new Error('Region is missing'), { name: 'Error' }))).toBe('no AWS region: set aws.region in workspace/settings.ts or AWS_REGION');
    expect(explainAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5000'), { code: 'ECONNREFUSED' }))).toMatch(/^cannot reach the AWS endpoint/);
    expect(explainAwsError(Object.assign(new Error('nope'), { name: 'UnauthorizedOperation' }))).toMatch(/^access denied \(UnauthorizedOperation\)/);
    const html = Object.assign(new Error(`Unexpected token '<', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response...`), { name: 'SyntaxError', $response: { statusCode: 500 } });
    expect(explainAwsError(html)).toMatch(/^the endpoint answered with something that is not an AWS response \(HTTP 500\): does .* support this call\?$/);
  });

  it('takes the region from settings and honours AWS_ENDPOINT_URL', () => {
    const settings = { aws: { region: 'eu-west-1' } } as never;
    expect(clientConfig({ settings, vars: {} })).toEqual({ region: 'eu-west-1', maxAttempts: 8, retryMode: 'adaptive' });
    expect(clientConfig({ settings, vars: { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_MAX_ATTEMPTS: '3' } })).toMatchObject({ endpoint: 'http://127.0.0.1:5000', maxAttempts: 3 });
  });

  it('no module loaded by workspace/prd.ts, filters or plans imports the AWS SDK at load time (only type imports and dynamic import())', () => {
    const dir = join(REPO, 'infra', 'aws');
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /^import\s+(?!type\b)[^;]*from\s+'@aws-sdk\//m.test(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
    expect(readFileSync(join(REPO, 'workspace', 'prd.ts'), 'utf8')).not.toMatch(/@aws-sdk/);
  });
});
