import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-process MongoDB tests (restart, two replicas, outage) need MONGODB_URI; the global
    // setup says so when it is unset, and fails a CI run without it.
    exclude: process.env.MONGODB_URI ? [] : ['test/mongo/**'],
    globalSetup: ['test/store/global-setup.ts'],
    testTimeout: 20000,
    hookTimeout: 60000,
    pool: 'forks',
    reporters: ['default'],
  },
});
