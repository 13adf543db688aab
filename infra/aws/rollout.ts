/**
 * Waiting for a service rollout, copilot's stream/progress split: a streamer polls ECS and
 * publishes snapshots; a pure renderer turns snapshot changes into progress lines; a pure judge
 * says done / failed (with reasons) / in progress. Failure is detected early: rollout FAILED,
 * circuit-breaker rollback, tasks of the new deployment stopping.
 */
import type { Deployment, ServiceEvent, Task } from '@aws-sdk/client-ecs';
import type { ApplyReporter } from '../driver.js';
import type { Sender } from './clients.js';
import { describeTasks, listTasks, requireService, stoppedTaskReason } from './ecs.js';
import { isThrottling, RolloutError, wrapAws } from './errors.js';
import { Poller, type PollSettings } from './poll.js';
import { keepLine } from './target.js';

export interface DeploymentView {
  readonly id: string;
  readonly status: string;
  readonly rolloutState: string;
  readonly rolloutStateReason: string;
  readonly taskDefinition: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly failed: number;
}

export interface RolloutSnapshot {
  readonly service: string;
  readonly deployments: readonly DeploymentView[];
  /** Service events newer than the rollout start, oldest first. */
  readonly events: readonly { id: string; at: number; message: string }[];
  /** Stopped tasks of the watched deployment, with their reasons. */
  readonly stopped: readonly { id: string; reason: string }[];
}

export type RolloutVerdict = { state: 'done' } | { state: 'failed'; reasons: string[] } | { state: 'waiting' };

export function viewDeployment(d: Deployment): DeploymentView {
  return {
    id: d.id ?? '',
    status: d.status ?? '',
    rolloutState: d.rolloutState ?? '',
    rolloutStateReason: d.rolloutStateReason ?? '',
    taskDefinition: (d.taskDefinition ?? '').split('/').pop() ?? '',
    desired: d.desiredCount ?? 0,
    running: d.runningCount ?? 0,
    pending: d.pendingCount ?? 0,
    failed: d.failedTasks ?? 0,
  };
}

/** Pure: is the watched deployment done, failed (why), or still rolling out? */
export function judgeRollout(s: RolloutSnapshot, deploymentId: string, failAfterTasks: number): RolloutVerdict {
  const mine = s.deployments.find((d) => d.id === deploymentId);
  const reasons = (): string[] => {
    const out: string[] = [];
    if (mine?.rolloutStateReason) out.push(mine.rolloutStateReason);
    for (const t of s.stopped) out.push(t.reason);
    for (const e of s.events) if (/unable|fail|error|rolling back|circuit breaker/i.test(e.message)) out.push(e.message);
    return [...new Set(out)];
  };
  if (!mine) return { state: 'failed', reasons: ['the deployment is gone (rolled back or replaced by another deployment)', ...reasons()] };
  if (mine.rolloutState === 'FAILED') return { state: 'failed', reasons: reasons() };
  const primary = s.deployments.find((d) => d.status === 'PRIMARY');
  if (primary && primary.id !== deploymentId) return { state: 'failed', reasons: [`rolled back to ${primary.taskDefinition} (circuit breaker)`, ...reasons()] };
  if (mine.failed >= failAfterTasks || s.stopped.length >= failAfterTasks) {
    return { state: 'failed', reasons: [`${Math.max(mine.failed, s.stopped.length)} tasks of ${mine.taskDefinition} stopped before the rollout completed`, ...reasons()] };
  }
  const steady = mine.running === mine.desired && mine.pending === 0 && s.deployments.length === 1;
  if ((mine.rolloutState === 'COMPLETED' || mine.rolloutState === '') && steady) return { state: 'done' };
  return { state: 'waiting' };
}

/** A line of the progress view: a deployment's status (may be redrawn) or an event that stays. */
export interface RolloutLine {
  readonly kind: 'status' | 'event';
  readonly text: string;
}

/** Pure: the progress lines to print for a new snapshot, given the previous one. */
export function renderRollout(next: RolloutSnapshot, previous?: RolloutSnapshot): RolloutLine[] {
  const lines: RolloutLine[] = [];
  for (const d of next.deployments) {
    const line = `service ${next.service}: ${d.status.toLowerCase()} deployment ${d.taskDefinition} ${d.rolloutState || 'IN_PROGRESS'} running ${d.running}/${d.desired}, pending ${d.pending}${d.failed ? `, failed ${d.failed}` : ''}`;
    const before = previous?.deployments.find((p) => p.id === d.id);
    if (!before || JSON.stringify(before) !== JSON.stringify(d)) lines.push({ kind: 'status', text: line });
  }
  const seenEvents = new Set(previous?.events.map((e) => e.id));
  for (const e of next.events) if (!seenEvents.has(e.id)) lines.push({ kind: 'event', text: `  event: ${e.message}` });
  const seenStopped = new Set(previous?.stopped.map((t) => t.id));
  for (const t of next.stopped) if (!seenStopped.has(t.id)) lines.push({ kind: 'event', text: `  stopped ${t.reason}` });
  return lines;
}

export interface RolloutTarget {
  readonly cluster: string;
  readonly service: string;
  readonly deploymentId: string;
  /** Epoch ms: events and stopped tasks before this are history. */
  readonly since: number;
}

export interface WatchOptions {
  readonly poll: PollSettings;
  readonly timeoutMs: number;
  readonly reporter: ApplyReporter;
  /** Stopped tasks of the new deployment that count as a failed rollout (the circuit breaker's minimum). */
  readonly failAfterTasks?: number;
}

/** The streamer: fetches one snapshot (1-3 calls: service, stopped tasks, new stopped tasks' details). */
export class RolloutStreamer {
  readonly #known = new Map<string, { id: string; reason: string }>();
  constructor(
    private readonly ecs: Sender,
    private readonly target: RolloutTarget,
  ) {}

  async fetch(): Promise<RolloutSnapshot> {
    const { cluster, service, since, deploymentId } = this.target;
    const s = await requireService(this.ecs, cluster, service);
    const events = ((s.events ?? []) as ServiceEvent[])
      .filter((e) => (e.createdAt ? new Date(e.createdAt).getTime() : 0) >= since)
      .map((e) => ({ id: e.id ?? '', at: e.createdAt ? new Date(e.createdAt).getTime() : 0, message: e.message ?? '' }))
      .sort((a, b) => a.at - b.at);
    const arns = await listTasks(this.ecs, cluster, { serviceName: service, desiredStatus: 'STOPPED' });
    const fresh = arns.filter((a) => !this.#known.has(a));
    for (const t of await describeTasks(this.ecs, cluster, fresh)) {
      const arn = t.taskArn ?? '';
      const started = t.createdAt ? new Date(t.createdAt).getTime() : 0;
      const ours = t.startedBy ? t.startedBy === deploymentId : started >= since;
      this.#known.set(arn, ours && started >= since - 1000 ? { id: arn.split('/').pop() ?? arn, reason: stoppedTaskReason(t as Task) } : { id: '', reason: '' });
    }
    return {
      service,
      deployments: (s.deployments ?? []).map(viewDeployment),
      events,
      stopped: [...this.#known.values()].filter((t) => t.id),
    };
  }
}

/** Polls until the deployment is done; throws a RolloutError with the reasons when it fails or times out. */
export async function watchRollout(ecs: Sender, target: RolloutTarget, opts: WatchOptions): Promise<void> {
  const streamer = new RolloutStreamer(ecs, target);
  const poller = new Poller(opts.poll, opts.timeoutMs);
  let previous: RolloutSnapshot | undefined;
  for (;;) {
    let snapshot: RolloutSnapshot | undefined;
    let throttled = false;
    try {
      snapshot = await streamer.fetch();
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (!isThrottling(cause)) throw wrapAws(`watch service ${target.service}`, error);
      throttled = true;
      opts.reporter.progress(`service ${target.service}: throttled by AWS, polling less often`);
    }
    if (snapshot) {
      for (const line of renderRollout(snapshot, previous)) {
        if (line.kind === 'event') keepLine(opts.reporter, line.text);
        else opts.reporter.progress(line.text);
      }
      const verdict = judgeRollout(snapshot, target.deploymentId, opts.failAfterTasks ?? 3);
      if (verdict.state === 'done') return;
      if (verdict.state === 'failed') throw new RolloutError(`service ${target.service} in cluster ${target.cluster}: the rollout failed`, verdict.reasons);
      previous = snapshot;
    }
    if (poller.expired()) {
      const reasons = previous ? (judgeRollout(previous, target.deploymentId, Number.MAX_SAFE_INTEGER) as { reasons?: string[] }).reasons ?? [] : [];
      const state = previous?.deployments.map((d) => `${d.status} ${d.taskDefinition} running ${d.running}/${d.desired}`).join('; ');
      throw new RolloutError(
        `service ${target.service} in cluster ${target.cluster}: no steady state after ${duration(opts.timeoutMs)}${state ? ` (${state})` : ''}; the rollout goes on in ECS — raise --timeout or check ws logs`,
        reasons,
      );
    }
    await poller.wait(throttled);
  }
}

/** 90000 -> '1.5 min', 20000 -> '20 s'. */
export function duration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 6_000) / 10} min` : `${Math.round(ms / 1000)} s`;
}
