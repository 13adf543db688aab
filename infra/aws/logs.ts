/** CloudWatch Logs verbs over a narrow client: the log group, and reading a task's events. */
import type { Sender } from './clients.js';
import { attempt, deleteIfPresent, isAwsError, wrapAws } from './errors.js';
import type { Tags } from './resources.js';

const sdk = () => import('@aws-sdk/client-cloudwatch-logs');

export interface LogGroupInfo {
  readonly arn: string;
  readonly retentionDays?: number;
}

export async function describeLogGroup(logs: Sender, name: string): Promise<LogGroupInfo | undefined> {
  const { DescribeLogGroupsCommand } = await sdk();
  const out = await attempt(`describe log group ${name}`, () => logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name })));
  const g = ((out.logGroups ?? []) as { logGroupName?: string; arn?: string; retentionInDays?: number }[]).find((x) => x.logGroupName === name);
  if (!g) return undefined;
  return { arn: (g.arn ?? '').replace(/:\*$/, ''), ...(g.retentionInDays !== undefined ? { retentionDays: g.retentionInDays } : {}) };
}

export async function logGroupTags(logs: Sender, name: string): Promise<Record<string, string>> {
  const { ListTagsLogGroupCommand } = await sdk();
  const out = await attempt(`list tags of log group ${name}`, () => logs.send(new ListTagsLogGroupCommand({ logGroupName: name })));
  return { ...(out.tags ?? {}) };
}

export async function createLogGroup(logs: Sender, name: string, tags: Tags, retentionDays: number): Promise<void> {
  const { CreateLogGroupCommand } = await sdk();
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { ...tags } }));
  } catch (error) {
    // a re-run after a half-done create converges: the group exists, set its retention
    if (!isAwsError(error, 'ResourceAlreadyExistsException')) throw wrapAws(`create log group ${name}`, error);
  }
  await putRetention(logs, name, retentionDays);
}

export async function putRetention(logs: Sender, name: string, days: number): Promise<void> {
  const { PutRetentionPolicyCommand } = await sdk();
  await attempt(`set retention of log group ${name}`, () => logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days })));
}

export async function deleteLogGroup(logs: Sender, name: string): Promise<void> {
  const { DeleteLogGroupCommand } = await sdk();
  await deleteIfPresent(`delete log group ${name}`, 'ResourceNotFoundException', () => logs.send(new DeleteLogGroupCommand({ logGroupName: name })));
}

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly stream?: string;
  readonly id?: string;
}

/** Every event of one stream, oldest first (follows nextForwardToken until it stops changing). */
export async function streamEvents(logs: Sender, group: string, stream: string, limitPages = 100): Promise<LogEvent[]> {
  const { GetLogEventsCommand } = await sdk();
  const events: LogEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < limitPages; page++) {
    let out;
    try {
      out = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, ...(token ? { nextToken: token } : {}) }));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return events;
      throw wrapAws(`get log events of ${group}/${stream}`, error);
    }
    for (const e of (out.events ?? []) as { timestamp?: number; message?: string }[]) events.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '', stream });
    if (!out.nextForwardToken || out.nextForwardToken === token || (out.events ?? []).length === 0) break;
    token = out.nextForwardToken;
  }
  return events;
}

/** The most recently written streams of a group (newest first). */
export async function latestStreams(logs: Sender, group: string, prefix: string | undefined, limit: number): Promise<string[]> {
  const { DescribeLogStreamsCommand } = await sdk();
  const input = prefix ? { logGroupName: group, logStreamNamePrefix: prefix, limit } : { logGroupName: group, orderBy: 'LastEventTime' as const, descending: true, limit };
  const out = await attempt(`list log streams of ${group}`, () => logs.send(new DescribeLogStreamsCommand(input)));
  const streams = ((out.logStreams ?? []) as { logStreamName?: string; lastEventTimestamp?: number }[])
    .sort((a, b) => (b.lastEventTimestamp ?? 0) - (a.lastEventTimestamp ?? 0))
    .map((s) => s.logStreamName ?? '');
  return streams.filter(Boolean).slice(0, limit);
}

/** Events of a group since a time (for --follow), with their ids to de-duplicate. */
export async function eventsSince(logs: Sender, group: string, startTime: number, prefix?: string): Promise<LogEvent[]> {
  const { FilterLogEventsCommand } = await sdk();
  const events: LogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const out = await attempt(`read log events of ${group}`, () =>
      logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime, ...(prefix ? { logStreamNamePrefix: prefix } : {}), ...(nextToken ? { nextToken } : {}) })),
    );
    for (const e of (out.events ?? []) as { timestamp?: number; message?: string; logStreamName?: string; eventId?: string }[]) {
      events.push({ timestamp: e.timestamp ?? 0, message: e.message ?? '', ...(e.logStreamName ? { stream: e.logStreamName } : {}), ...(e.eventId ? { id: e.eventId } : {}) });
    }
    nextToken = out.nextToken;
  } while (nextToken);
  return events;
}

/** The last `limit` events of a stream, oldest first. */
export async function lastEvents(logs: Sender, group: string, stream: string, limit: number): Promise<LogEvent[]> {
  const { GetLogEventsCommand } = await sdk();
  try {
    const out = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: false, limit: Math.max(1, limit) }));
    return ((out.events ?? []) as { timestamp?: number; message?: string }[]).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '', stream }));
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return [];
    throw wrapAws(`get log events of ${group}/${stream}`, error);
  }
}
