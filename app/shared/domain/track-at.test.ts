import { describe, expect, it } from 'vitest';
import { boxesAt, type PlaybackTrack } from './track-at';

const track: PlaybackTrack = { trackId: 3, cls: 'person', samples: [{ ms: 1000, box: [0, 0, 0.2, 0.2] }, { ms: 2000, box: [0.2, 0.2, 0.4, 0.4] }] };

describe('boxesAt', () => {
  it('interpolates between stored samples and shows nothing outside the track', () => {
    expect(boxesAt([track], 1500)[0]!.box.map((v) => Math.round(v * 100) / 100)).toEqual([0.1, 0.1, 0.3, 0.3]);
    expect(boxesAt([track], 1000)[0]!.box).toEqual([0, 0, 0.2, 0.2]);
    expect(boxesAt([track], 2100)[0]!.box).toEqual([0.2, 0.2, 0.4, 0.4]);
    expect(boxesAt([track], 500)).toEqual([]);
    expect(boxesAt([track], 3000)).toEqual([]);
  });
});
