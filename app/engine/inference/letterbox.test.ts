import { describe, expect, it } from 'vitest';
import { computeLetterbox, inputToSourceBox } from './letterbox';
import { buildModelInputFilter } from './model-input-filter';

describe('letterbox math', () => {
  it('topleft: scales by the limiting side and pads right/bottom only', () => {
    const lb = computeLetterbox(640, 424, { width: 416, height: 416, letterbox: 'topleft' });
    expect(lb).toMatchObject({ contentWidth: 416, contentHeight: 275, padX: 0, padY: 0 });
    const tall = computeLetterbox(432, 768, { width: 416, height: 416, letterbox: 'topleft' });
    expect(tall).toMatchObject({ contentWidth: 234, contentHeight: 416, padX: 0, padY: 0 });
  });

  it('center: splits the padding', () => {
    const lb = computeLetterbox(1920, 1080, { width: 640, height: 640, letterbox: 'center' });
    expect(lb).toMatchObject({ contentWidth: 640, contentHeight: 360, padX: 0, padY: 140 });
  });

  it('stretch: content fills the input', () => {
    expect(computeLetterbox(1920, 1080, { width: 416, height: 416, letterbox: 'stretch' })).toMatchObject({ contentWidth: 416, contentHeight: 416, padX: 0, padY: 0 });
  });

  it('maps input pixels back to normalised source coordinates and clamps', () => {
    const lb = computeLetterbox(1920, 1080, { width: 640, height: 640, letterbox: 'center' });
    const b = inputToSourceBox(64, 140 + 36, 320, 140 + 360, lb);
    expect(b[0]).toBeCloseTo(0.1);
    expect(b[1]).toBeCloseTo(0.1);
    expect(b[2]).toBeCloseTo(0.5);
    expect(b[3]).toBeCloseTo(1);
    expect(inputToSourceBox(-50, -50, 700, 700, lb)).toEqual([0, 0, 1, 1]);
  });

  it('buildModelInputFilter: scale, convert, pad with the exact pad value', () => {
    const f = buildModelInputFilter({ modelId: 'm', width: 416, height: 416, colour: 'bgr', letterbox: 'topleft', padValue: 114 }, 768, 432);
    expect(f.pixFmt).toBe('bgr24');
    expect(f.frameBytes).toBe(416 * 416 * 3);
    expect(f.filter).toContain('scale=416:234');
    expect(f.filter).toContain('pad=416:416:0:0:color=0x727272');
    const c = buildModelInputFilter({ modelId: 'm', width: 640, height: 640, colour: 'rgb', letterbox: 'center', padValue: 114 }, 1280, 720);
    expect(c.pixFmt).toBe('rgb24');
    expect(c.filter).toContain('pad=640:640:0:140:');
    const s = buildModelInputFilter({ modelId: 'm', width: 320, height: 240, colour: 'rgb', letterbox: 'stretch', padValue: 0 }, 1280, 720);
    expect(s.filter).not.toContain('pad=');
  });
});
