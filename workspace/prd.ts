/**
 * The prd resources on AWS ECS (Fargate), named `{ws}-prd-*` (ai-prd, ai-prd-td, ai-prd-service...).
 * Secrets: every KEY=VALUE of the gitignored workspace/secrets/prd.env (and DB_PASS wherever it is
 * set) becomes a SecureString parameter /ai/prd/KEY that the task receives as `secrets` — never as
 * plaintext environment. Overrides for machines without a real account: WS_PRD_IMAGE,
 * WS_AWS_SUBNETS, WS_AWS_SECURITY_GROUPS (see workspace/settings.ts and the README).
 */
import { join } from 'node:path';
import { resolveDbConnection } from '../db/connection.js';
import { readEnvFile } from '../infra/load-settings.js';
import { defineResources, secret } from '../infra/resource.js';
import {
  awsName,
  ecsCluster,
  ecsService,
  executionRolePolicy,
  iamRole,
  logGroup,
  parameterPrefix,
  securityGroup,
  ssmParameter,
  taskDefinition,
  taskRolePolicy,
} from '../infra/aws/resources.js';

export default defineResources((ctx) => {
  const { settings, env, vars } = ctx;
  const name = (thing: string) => awsName(ctx, thing);
  const image = settings.aws.image;
  const port = settings.appPort;

  // -- secrets: the keys of workspace/secrets/prd.env (values: that file < .env < process env)
  const secretKeys = new Set(Object.keys(readEnvFile(join(settings.root, 'workspace', 'secrets', `${env}.env`))));
  if (vars.DB_PASS !== undefined) secretKeys.add('DB_PASS');
  const parameters = [...secretKeys]
    .sort()
    .filter((key) => vars[key] !== undefined)
    .map((key) =>
      ssmParameter(
        ctx,
        { parameterName: `${parameterPrefix(ctx)}${key}`, value: secret(vars[key]!), description: `${key} of ${settings.name} ${env} (managed by ws)` },
        { group: 'secrets' },
      ),
    );

  const cluster = ecsCluster(ctx, { clusterName: awsName(ctx) });
  const logs = logGroup(ctx, { logGroupName: name('logs'), retentionDays: 30 });
  const executionRole = iamRole(ctx, {
    roleName: name('execution-role'),
    description: `ECS task execution role of ${settings.name} ${env}: pull the image, write logs, read ${parameterPrefix(ctx)}*`,
    trustedService: 'ecs-tasks.amazonaws.com',
    policies: { 'ws-execution': executionRolePolicy(ctx, { image, logGroup: logs.spec.logGroupName }) },
  });
  const taskRole = iamRole(ctx, {
    roleName: name('task-role'),
    description: `ECS task role of ${settings.name} ${env}: ECS exec channels only`,
    trustedService: 'ecs-tasks.amazonaws.com',
    policies: { 'ws-task': taskRolePolicy() },
  });

  // -- network: a security group in the VPC of the subnets, unless security groups are given
  const groups = settings.aws.securityGroups.length
    ? []
    : [
        securityGroup(ctx, {
          groupName: name('sg'),
          description: `${settings.name} ${env} service (managed by ws)`,
          subnets: settings.aws.subnets,
          ingress: [{ port, from: 'vpc' }],
        }),
      ];

  // -- the task definition: environment from settings, secrets by reference only
  const db = resolveDbConnection(settings, env, vars);
  const environment: Record<string, string> = {
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_DATABASE: db.database,
    WAIT_FOR_DB: String(settings.prdDbEnabled),
    MIGRATE_DB: String(settings.prdDbEnabled),
    PORT: String(port),
  };
  for (const key of secretKeys) delete environment[key];
  const td = taskDefinition(
    ctx,
    {
      family: name('td'),
      cpu: settings.aws.cpu,
      memory: settings.aws.memory,
      executionRole: executionRole.name,
      taskRole: taskRole.name,
      container: {
        name: 'app',
        image,
        port,
        environment,
        secrets: Object.fromEntries(parameters.map((p) => [p.spec.parameterName.split('/').pop()!, p.spec.parameterName])),
        logGroup: logs.spec.logGroupName,
        logStreamPrefix: 'app',
        healthCheck: {
          command: ['CMD-SHELL', `node -e "fetch('http://localhost:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 60,
        },
      },
    },
    { dependsOn: [executionRole.name, taskRole.name, logs.name, ...parameters.map((p) => p.name)] },
  );

  const service = ecsService(
    ctx,
    {
      serviceName: name('service'),
      cluster: cluster.name,
      taskFamily: td.spec.family,
      containerName: td.spec.container.name,
      desiredCount: settings.aws.desiredCount,
      subnets: settings.aws.subnets,
      securityGroups: settings.aws.securityGroups.length ? settings.aws.securityGroups : groups.map((g) => g.name),
      // private subnets with a NAT gateway; set true for public subnets without one
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      enableExecuteCommand: true,
    },
    { dependsOn: [cluster.name, td.name, ...groups.map((g) => g.name)] },
  );

  return [cluster, logs, executionRole, taskRole, ...parameters, ...groups, td, service];
});
