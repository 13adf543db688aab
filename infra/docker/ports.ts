/** Is a host port free? Checked before a container publishes it, so the error names the port. */
import { createServer } from 'node:net';
import { WsError } from '../../cli/errors.js';
import { DEFAULT_HOST_IP } from './commands.js';
import type { PortSpec } from './resources.js';

export function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** Throws naming the first published port that something on this machine already listens on. */
export async function assertPortsFree(ports: readonly PortSpec[], hint: (p: PortSpec) => string = () => ''): Promise<void> {
  // the engine is on another machine: its ports are not this machine's
  if (/^(tcp|ssh):/.test(process.env.DOCKER_HOST ?? '')) return;
  for (const p of ports) {
    if ((p.protocol ?? 'tcp') !== 'tcp') continue;
    const host = p.hostIp ?? DEFAULT_HOST_IP;
    if (await portInUse(p.host, host)) throw new PortInUseError(p.host, host, hint(p));
  }
}

export class PortInUseError extends WsError {
  constructor(
    readonly port: number,
    host: string,
    hint: string,
  ) {
    super(`host port ${port} (${host}) is already in use${hint ? `: ${hint}` : ''}`);
    this.name = 'PortInUseError';
  }
}

/** The port docker names in "port is already allocated" / "address already in use" errors. */
export function portFromDockerError(stderr: string): number | undefined {
  const m = /(?:Bind for [^\s]*:(\d+) failed|listen tcp[46]? [^\s]*:(\d+): bind: address already in use)/.exec(stderr);
  const n = m ? Number(m[1] ?? m[2]) : NaN;
  return Number.isInteger(n) ? n : undefined;
}
