/** Loads the driver of an infra lazily: the AWS SDK is never imported for docker or db commands. */
import type { Driver, DriverContext } from './driver.js';
import type { InfraName } from './settings.js';

export interface DriverOptions {
  /** aws: wait for service rollouts (default true). */
  readonly wait?: boolean;
  /** aws: rollout timeout. */
  readonly timeoutMs?: number;
  /** docker: pull images before applying. */
  readonly pull?: boolean;
}

export async function loadDriver(infra: InfraName, ctx: DriverContext, options: DriverOptions = {}): Promise<Driver> {
  if (infra === 'docker') {
    const { createDockerDriver } = await import('./docker/driver.js');
    return createDockerDriver(ctx, { pull: options.pull ?? false });
  }
  const { createAwsDriver } = await import('./aws/driver.js');
  return createAwsDriver(ctx, { ...(options.wait !== undefined ? { wait: options.wait } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
}
