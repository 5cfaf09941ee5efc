import { describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { Notifier } from './notifier';

describe('Notifier', () => {
  it('tells every subscriber, in order, even when one throws; a disposed subscription hears nothing more', () => {
    const n = new Notifier<string>('camera removed', nullLogger);
    const heard: string[] = [];
    const first = n.subscribe((id) => heard.push(`first ${id}`));
    n.subscribe(() => {
      throw new Error('broken listener');
    });
    n.subscribe((id) => heard.push(`third ${id}`));
    n.notify('cam1');
    first.dispose();
    n.notify('cam2');
    expect(heard).toEqual(['first cam1', 'third cam1', 'third cam2']);
  });
});
