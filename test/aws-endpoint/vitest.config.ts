// The opt-in suite against AWS_ENDPOINT_URL (the root vitest.config.ts excludes this folder):
//   AWS_ENDPOINT_URL=http://127.0.0.1:5000 npx vitest run --config test/aws-endpoint/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  test: { include: ['test/aws-endpoint/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 600_000, pool: 'forks', fileParallelism: false },
});
