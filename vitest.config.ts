import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{certs,pkg,server,webhook,aggregated-api,features,src,test/control-plane,test/support,test/layout}/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          // One real control plane serves every e2e file; it is started once here.
          globalSetup: ['test/e2e/global-setup.ts'],
          // Files share cluster-wide objects (webhook configurations, the APIService), so they run one at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
