import { describe, expect, it } from 'vitest';
import { en } from './en';

/** Every string the table holds, functions called with sample arguments. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'function') {
    try {
      strings((v as (...a: unknown[]) => unknown)('x', 'y', 'z', 'w'), out);
    } catch {
      /* a function that needs real arguments says nothing here */
    }
  } else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

const DEVELOPER_COMMAND = /\b(npm|npx) |node scripts\//;

describe('words on screen', () => {
  it('name no developer commands (npm, npx, node scripts): an admin of an installed app has no terminal', () => {
    const all = strings(en);
    expect(all.length).toBeGreaterThan(500);
    expect(all.filter((s) => DEVELOPER_COMMAND.test(s))).toEqual([]);
  });
});
