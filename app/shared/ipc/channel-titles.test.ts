import { describe, expect, it } from 'vitest';
import { fourEyesEligible, PERMISSIONS } from '../auth/permissions';
import { CHANNEL_TITLES, channelTitle } from './channel-titles';
import { invokeContract } from './contracts';

describe('human titles of invoke channels', () => {
  it('every invoke channel has a plain-language title, and the table names no channel that does not exist', () => {
    const titles = CHANNEL_TITLES as Readonly<Record<string, string>>;
    const missing = Object.keys(invokeContract).filter((c) => !titles[c]?.trim());
    expect(missing, `add these channels to CHANNEL_TITLES in app/shared/ipc/channel-titles.ts`).toEqual([]);
    expect(Object.keys(titles).filter((c) => !(c in invokeContract))).toEqual([]);
  });

  it('titles are words, not ids: no colon, no channel id, starting with a capital; every confirmable and policy entry reads as one', () => {
    for (const [channel, title] of Object.entries(CHANNEL_TITLES)) {
      expect(title, channel).not.toMatch(/[a-z]+:[a-z-]+/);
      expect(title[0], channel).toBe(title[0]!.toUpperCase());
    }
    const confirmable = Object.entries(PERMISSIONS).filter(([, p]) => p.confirm).map(([c]) => c);
    for (const c of [...confirmable, ...fourEyesEligible()]) expect(channelTitle(c), c).not.toBe(c);
    expect(channelTitle('reports:export')).toBe('Export a report (PDF or CSV)');
    expect(channelTitle('masks:lift')).toBe('Lift a privacy mask for a while');
  });
});
