import fs from 'node:fs';

/** Environment variable naming the test clock file (e2e only; see alarmClockFromEnv). */
export const TEST_ALARM_CLOCK_ENV = 'WATCHROOM_TEST_ALARM_CLOCK_FILE';

/**
 * The alarm service's clock. Normally the real clock. When the host is started with WATCHROOM_TEST_ALARM_CLOCK_FILE
 * (end-to-end tests only), the file holds a number of milliseconds added to the real clock, re-read at most every
 * 200 ms: a test moves the alarm clock forward (a shelf's 15 minutes running out, a flood window passing) without
 * waiting. Only alarm timing reads this clock; nothing else of the host is affected.
 */
export function alarmClockFromEnv(env: NodeJS.ProcessEnv = process.env): () => number {
  const file = env[TEST_ALARM_CLOCK_ENV];
  if (!file) return Date.now;
  let offset = 0;
  let readAt = -Infinity;
  return () => {
    const real = Date.now();
    if (real - readAt >= 200) {
      readAt = real;
      try {
        const n = Number(fs.readFileSync(file, 'utf8').trim());
        offset = Number.isFinite(n) ? n : 0;
      } catch {
        offset = 0;
      }
    }
    return real + offset;
  };
}
