import { defineConfig } from 'vitest/config';

// One convention: tests live in test/, mirroring the source folders.
// Docker tests are test/**/*.docker.test.ts (run alone: npm run test:docker);
// the opt-in AWS endpoint suite is test/aws-endpoint/ (npm run test:aws-endpoint, needs AWS_ENDPOINT_URL).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/aws-endpoint/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
