/** The CLI when the Docker engine is unreachable: one clear line, exit 1, within 10 s (needs the build). */
import { describe, expect, it } from 'vitest';
import { ws } from '../../helpers/cli.js';

const DOWN = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', WS_DEV_DB_PORT: '55990', WS_DEV_API_PORT: '58990' };
const CLEAR = /^error: (the Docker engine is not running or not reachable: Cannot connect to the Docker daemon at unix:\/\/\/nonexistent\/docker\.sock.*\(start Docker.*|docker is not installed: .*)$/;

describe('ws with the Docker engine unreachable', () => {
  for (const args of [
    ['up', '--env', 'dev', '-y'],
    ['down', '--env', 'dev', '--dry-run'],
    ['logs', '--env', 'dev'],
  ]) {
    it(`ws ${args.join(' ')} fails with one clear message`, async () => {
      const started = Date.now();
      const r = await ws(args, { env: DOWN, timeout: 15_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.exitCode).toBe(1);
      const lines = String(r.stderr).trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(CLEAR);
    });
  }
});
