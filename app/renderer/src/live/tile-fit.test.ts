import { describe, expect, it } from 'vitest';
import { boxToFit, fitContain } from './tile-fit';
import { classColour } from './class-colour';

describe('tile fit', () => {
  it('fits wide and tall pictures centred with the aspect kept', () => {
    expect(fitContain(1280, 720, 640, 640)).toEqual({ x: 0, y: 140, width: 640, height: 360 });
    expect(fitContain(480, 640, 800, 400)).toEqual({ x: 250, y: 0, width: 300, height: 400 });
    expect(fitContain(0, 720, 640, 640).width).toBe(0);
  });
  it('maps normalised boxes into the fitted picture, clamped', () => {
    const fit = { x: 0, y: 140, width: 640, height: 360 };
    expect(boxToFit([0.5, 0.5, 1, 1], fit)).toEqual({ x: 320, y: 320, width: 320, height: 180 });
    expect(boxToFit([-0.2, 0, 1.5, 0.5], fit)).toEqual({ x: 0, y: 140, width: 640, height: 180 });
  });
  it('gives a stable colour per class', () => {
    expect(classColour('person')).toBe(classColour('person'));
    expect(classColour('forklift')).toMatch(/^#[0-9a-f]{6}$/);
  });
});
