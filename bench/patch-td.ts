/**
 * Benchmark: `ws patch -e prd -i aws --name td` with nothing changed, through the shared engine
 * (load workspace/prd.ts -> observe -> plan -> apply), counting the AWS API calls it makes.
 * Target: 0 registrations and <= 3 API calls per run. Baseline (phi `phi ws patch`): 1 registration
 * per run, since phi registers a new revision on every patch.
 *
 *   node --import jiti/register bench/patch-td.ts [runs]                 # against the in-memory fake
 *   AWS_ENDPOINT_URL=http://127.0.0.1:5000 node --import jiti/register bench/patch-td.ts   # an endpoint (moto)
 */
import { performance } from 'node:perf_hooks';
import type { AwsClients, Sender } from '../infra/aws/clients.js';
import { FakeAws } from '../test/infra/aws/fake-aws.js';
import { makeWorkspace, run, type TestWorkspace } from '../test/infra/aws/engine.js';

const runs = Number(process.argv[2] ?? 20);
const endpoint = process.env.AWS_ENDPOINT_URL;
const calls: string[] = [];
let clients: Partial<AwsClients> | undefined;
let fake: FakeAws | undefined;
let ws: TestWorkspace;

if (endpoint) {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const [{ ECSClient }, { SSMClient }, { IAMClient }, { CloudWatchLogsClient }, ec2sdk] = await Promise.all([
    import('@aws-sdk/client-ecs'),
    import('@aws-sdk/client-ssm'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-cloudwatch-logs'),
    import('@aws-sdk/client-ec2'),
  ]);
  const counted = (name: string, client: Sender): Sender => ({
    send: (command: { constructor: { name: string } }) => {
      calls.push(`${name}:${command.constructor.name.replace(/Command$/, '')}`);
      return client.send(command);
    },
  });
  const config = { region, endpoint };
  const ec2 = new ec2sdk.EC2Client(config);
  clients = {
    ecs: counted('ecs', new ECSClient(config)),
    ssm: counted('ssm', new SSMClient(config)),
    iam: counted('iam', new IAMClient(config)),
    logs: counted('logs', new CloudWatchLogsClient(config)),
    ec2: counted('ec2', ec2),
  };
  let subnet = process.env.WS_AWS_SUBNETS;
  if (!subnet) {
    const vpc = await ec2.send(new ec2sdk.CreateVpcCommand({ CidrBlock: '10.44.0.0/16' }));
    subnet = (await ec2.send(new ec2sdk.CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: '10.44.1.0/24' }))).Subnet!.SubnetId!;
  }
  ws = makeWorkspace({ AWS_ENDPOINT_URL: endpoint, AWS_REGION: region, WS_AWS_SUBNETS: subnet });
} else {
  fake = new FakeAws();
  fake.install();
  ws = makeWorkspace();
}

const opts = { wait: false, ...(clients ? { clients } : {}) };
const registrations = () => calls.filter((c) => c === 'ecs:RegisterTaskDefinition').length + (fake?.count('ecs:RegisterTaskDefinition') ?? 0);
const callCount = () => calls.length + (fake?.calls.length ?? 0);
const lastCalls = (from: number) => [...calls, ...(fake?.calls ?? [])].slice(from);
try {
  await run(ws, 'up', {}, opts);
  const registered = registrations();
  const times: number[] = [];
  const perRun: number[] = [];
  let names: string[] = [];
  for (let i = 0; i < runs; i++) {
    const before = callCount();
    const start = performance.now();
    const { plan } = await run(ws, 'patch', { name: 'td' }, opts);
    times.push(performance.now() - start);
    names = lastCalls(before);
    perRun.push(names.length);
    if (plan.actions.some((a) => a.kind !== 'noop')) throw new Error(`run ${i}: the plan is not a no-op: ${JSON.stringify(plan.actions.map((a) => a.changes))}`);
  }
  const made = registrations() - registered;
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`ws patch -e prd -i aws --name td, nothing changed, ${runs} runs against ${endpoint ?? 'the in-memory AWS fake'}`);
  console.log(`  registrations:      ${made} (target 0; phi baseline: ${runs}, one per patch)`);
  console.log(`  API calls per run:  max ${Math.max(...perRun)} [${names.join(', ')}] (target <= 3)`);
  console.log(`  wall time per run:  median ${ms(pct(0.5))}, p95 ${ms(pct(0.95))} (load settings + workspace/prd.ts, observe, plan)`);
  if (made !== 0 || Math.max(...perRun) > 3) process.exitCode = 1;
} finally {
  await run(ws, 'down', {}, opts).catch(() => undefined);
  fake?.restore();
  ws.remove();
}
