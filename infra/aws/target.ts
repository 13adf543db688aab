/** Which service a one-off command (exec, logs, db migrate) works on, from the env's resources. Pure. */
import { UsageError, WsError } from '../../cli/errors.js';
import type { ApplyReporter } from '../driver.js';
import type { Resource } from '../resource.js';
import type { AwsResource } from './resources.js';

export interface ServiceTarget {
  readonly service: AwsResource<'service'>;
  readonly taskDefinition?: AwsResource<'task-definition'>;
}

export function pickService(resources: readonly Resource[], name?: string): ServiceTarget {
  const services = resources.filter((r): r is AwsResource<'service'> => r.type === 'service' && r.infra === 'aws');
  const matching = name === undefined ? services : services.filter((s) => s.name.includes(name) || s.spec.containerName === name);
  if (services.length === 0) throw new WsError('this env declares no ECS service (workspace/<env>.ts)');
  if (matching.length === 0) throw new UsageError(`no service matches --name ${name}: this env has ${services.map((s) => s.name).join(', ')}`);
  if (matching.length > 1) throw new UsageError(`several services match${name ? ` --name ${name}` : ''}: ${matching.map((s) => s.name).join(', ')}; pass --name`);
  const service = matching[0]!;
  const taskDefinition = resources.find((r): r is AwsResource<'task-definition'> => r.type === 'task-definition' && (r.spec as { family?: string }).family === service.spec.taskFamily);
  return { service, ...(taskDefinition ? { taskDefinition } : {}) };
}

/** A line that stays on screen: the presenter's done() when it has one (progress() may redraw). */
export function keepLine(reporter: ApplyReporter, line: string): void {
  const done = (reporter as { done?: (m: string) => void }).done;
  if (typeof done === 'function') done.call(reporter, line);
  else reporter.progress(line);
}
