import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, displayArgv, DockerCommandError, DockerUnavailableError, redactText, unavailableMessage } from '../../../infra/docker/runner.js';
import { secret } from '../../../infra/resource.js';

// A stand-in `docker` on PATH that shows what it received.
const FAKE = `#!/bin/sh
case "$1" in
  show) echo "argv: $*"; echo "DB_PASS=$DB_PASS" ;;
  down) echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1 ;;
  fail) echo "step 1"; echo "boom: the password is hunter2-long" >&2; exit 3 ;;
  hang) exec sleep 5 ;;
esac
`;

describe('docker runner', () => {
  let dir: string;
  const path = process.env.PATH;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-fake-docker-'));
    await writeFile(join(dir, 'docker'), FAKE);
    await chmod(join(dir, 'docker'), 0o755);
    process.env.PATH = `${dir}:${path}`;
  });
  afterAll(async () => {
    process.env.PATH = path;
    await rm(dir, { recursive: true, force: true });
  });

  it('passes secrets in the child environment, not argv, and redacts them from logs and lines', async () => {
    const logged: string[] = [];
    const lines: string[] = [];
    const runner = createRunner({ log: (l) => logged.push(l) });
    const r = await runner.run({ argv: ['docker', 'show', '-e', 'DB_PASS'], secretEnv: { DB_PASS: secret('hunter2-long') } }, { onLine: (l) => lines.push(l) });
    expect(r.stdout).toContain('argv: show -e DB_PASS');
    expect(r.stdout).toContain('DB_PASS=hunter2-long'); // the child saw the value...
    expect(lines).toContain('DB_PASS=****'); // ...what is reported never does
    expect(logged).toEqual(['$ docker show -e DB_PASS']);
  });

  it('throws a command error with the redacted stderr tail on a non-zero exit', async () => {
    const runner = createRunner();
    runner.addSecrets(['hunter2-long']);
    const error = await runner.run(['docker', 'fail']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerCommandError);
    expect((error as DockerCommandError).message).toBe('docker fail failed: boom: the password is ****');
    expect((error as DockerCommandError).dockerExitCode).toBe(3);
    const allowed = await runner.run(['docker', 'fail'], { allowFailure: true });
    expect(allowed.exitCode).toBe(3);
  });

  it('maps an engine that is not running to one clear error', async () => {
    const error = await createRunner().run(['docker', 'down'], { allowFailure: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as Error).message).toMatch(/^the Docker engine is not running or not reachable: Cannot connect to the Docker daemon .* \(start Docker/);
  });

  it('fails within the timeout when the engine does not answer', async () => {
    const started = Date.now();
    const error = await createRunner().run(['docker', 'hang'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect((error as Error).message).toMatch(/^docker hang did not answer within 0 s: is the Docker engine running/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('says docker is not installed when there is no docker command', async () => {
    process.env.PATH = dir.replace(/fake-docker/, 'nothing-here');
    try {
      const error = await createRunner().run(['docker', 'show']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DockerUnavailableError);
      expect((error as Error).message).toMatch(/^docker is not installed/);
    } finally {
      process.env.PATH = `${dir}:${path}`;
    }
  });
});

describe('redaction', () => {
  it('replaces long secrets everywhere and short ones only where they stand alone', () => {
    expect(redactText('a hunter2-long b xhunter2-longx', ['hunter2-long'])).toBe('a **** b x****x');
    expect(redactText('POSTGRES_PASSWORD=ai on ai-dev-network, main.js "ai"', ['ai'])).toBe('POSTGRES_PASSWORD=**** on ai-dev-network, main.js "****"');
  });

  it('shortens long arguments in displayed command lines', () => {
    expect(displayArgv(['docker', 'build', '--build-arg', `CA=${'x'.repeat(100)}`, 'a b'])).toMatch(/^docker build --build-arg CA=x{37}…\(103 chars\) "a b"$/);
  });

  it('recognises the engine-unreachable messages', () => {
    expect(unavailableMessage('permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock')).toMatch(/docker group/);
    expect(unavailableMessage('Error: No such object: x')).toBeUndefined();
  });
});
