import { describe, expect, it } from 'vitest';
import { fourEyesEligible, PERMISSIONS } from '../auth/permissions';
import { AREA_TITLES, CHANNEL_TITLES, channelArea, channelTitle, invokeAreas } from './channel-titles';
import { invokeContract, type InvokeChannel } from './contracts';

describe('human titles of invoke channels', () => {
  it('every invoke channel has a plain-language title, and the table names no channel that does not exist', () => {
    const titles = CHANNEL_TITLES as Readonly<Record<string, string>>;
    const missing = Object.keys(invokeContract).filter((c) => !titles[c]?.trim());
    expect(missing, `add these channels to CHANNEL_TITLES in app/shared/ipc/channel-titles.ts`).toEqual([]);
    expect(Object.keys(titles).filter((c) => !(c in invokeContract))).toEqual([]);
  });

  it('every area of the contracts has a title, and the table names no area that does not exist', () => {
    const channels = Object.keys(invokeContract) as InvokeChannel[];
    const areas = [...new Set(channels.map(channelArea))];
    const titles = AREA_TITLES as Readonly<Record<string, string>>;
    expect(areas.filter((a) => !titles[a]?.trim()), 'add these areas to AREA_TITLES in app/shared/ipc/channel-titles.ts').toEqual([]);
    expect(Object.keys(titles).filter((a) => !areas.includes(a as never))).toEqual([]);
    // Derived from the channels: every area once, in the table's order; a new area shows (last, by its id) before it has a title.
    expect(invokeAreas(channels).map((a) => a.area)).toEqual(Object.keys(AREA_TITLES));
    expect(invokeAreas([...channels, 'gadgets:spin' as InvokeChannel]).at(-1)).toEqual({ area: 'gadgets', title: 'gadgets' });
    for (const title of Object.values(AREA_TITLES)) expect(title[0]).toBe(title[0]!.toUpperCase());
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
