import { defineConfig } from 'vitest/config';

// Three projects: unit (fast, pure), integration (real ffmpeg / ONNX Runtime / SQLite / RTSP servers) and
// e2e (headless host + Debian Chromium through playwright-core). `npm test` runs all of them.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['app/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts'], exclude: ['**/*.int.test.ts', '**/node_modules/**'], testTimeout: 20_000 } },
      { extends: true, test: { name: 'integration', include: ['app/**/*.int.test.ts', 'test/integration/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
      { extends: true, test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], testTimeout: 180_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
