import { describe, expect, it } from 'vitest';
import { Emitter, KeyedEmitter } from './emitter';

function recordingLog() {
  const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
  return { lines, error: (msg: string, fields?: Record<string, unknown>) => void lines.push({ msg, fields }) };
}

describe('Emitter', () => {
  it('calls every listener with the typed arguments, in the order added', () => {
    const e = new Emitter<[id: string, n: number]>({ name: 'test', log: recordingLog() });
    const seen: string[] = [];
    e.on((id, n) => seen.push(`a ${id} ${n}`));
    e.on((id, n) => seen.push(`b ${id} ${n}`));
    e.emit('cam', 3);
    expect(seen).toEqual(['a cam 3', 'b cam 3']);
  });

  it('a throwing listener is logged through the log and does not stop the others', () => {
    const log = recordingLog();
    const e = new Emitter<[number]>({ name: 'camera state', log });
    const seen: number[] = [];
    const boom = new Error('boom');
    e.on(() => {
      throw boom;
    });
    e.on((n) => seen.push(n));
    expect(() => e.emit(1)).not.toThrow();
    expect(seen).toEqual([1]);
    expect(log.lines).toEqual([{ msg: 'camera state listener failed', fields: { err: boom } }]);
  });

  it('dispose removes exactly that registration; twice is harmless; clear removes all', () => {
    const e = new Emitter<[]>({ name: 'test', log: recordingLog() });
    let calls = 0;
    const f = () => calls++;
    const first = e.on(f);
    e.on(f);
    expect(e.size).toBe(2);
    first.dispose();
    first.dispose();
    e.emit();
    expect(calls).toBe(1);
    e.clear();
    e.emit();
    expect(calls).toBe(1);
    expect(e.size).toBe(0);
  });

  it('listeners added or removed during an emit take effect from the next emit', () => {
    const e = new Emitter<[]>({ name: 'test', log: recordingLog() });
    const seen: string[] = [];
    const second = e.on(() => seen.push('second'));
    e.on(() => {
      seen.push('first');
      second.dispose();
      e.on(() => seen.push('added'));
    });
    e.emit();
    expect(seen).toEqual(['second', 'first']);
    e.emit();
    expect(seen).toEqual(['second', 'first', 'first', 'added']);
  });

  it('reports the listener count as it changes', () => {
    const counts: number[] = [];
    const e = new Emitter<[]>({ name: 'test', log: recordingLog(), onListenerCount: (n) => counts.push(n) });
    const a = e.on(() => {});
    const b = e.on(() => {});
    a.dispose();
    a.dispose();
    b.dispose();
    e.on(() => {});
    e.clear();
    e.clear();
    expect(counts).toEqual([1, 2, 1, 0, 1, 0]);
  });
});

describe('KeyedEmitter', () => {
  it('emits to the listeners of one key only; first and last listener of a key are reported', () => {
    const events: string[] = [];
    const e = new KeyedEmitter<string, [frame: number]>({
      name: 'frame',
      log: recordingLog(),
      onFirstListener: (k) => events.push(`first ${k}`),
      onLastListener: (k) => events.push(`last ${k}`),
    });
    const a1 = e.on('a', (n) => events.push(`a1 ${n}`));
    const a2 = e.on('a', (n) => events.push(`a2 ${n}`));
    const b = e.on('b', (n) => events.push(`b ${n}`));
    e.emit('a', 1);
    e.emit('c', 2);
    expect(e.keys()).toEqual(['a', 'b']);
    a1.dispose();
    a2.dispose();
    a2.dispose();
    e.emit('a', 3);
    b.dispose();
    expect(events).toEqual(['first a', 'first b', 'a1 1', 'a2 1', 'last a', 'last b']);
    expect(e.keys()).toEqual([]);
  });

  it('a throwing listener is logged and the key\'s other listeners still run', () => {
    const log = recordingLog();
    const e = new KeyedEmitter<string, [number]>({ name: 'push', log });
    const seen: number[] = [];
    e.on('k', () => {
      throw new Error('x');
    });
    e.on('k', (n) => seen.push(n));
    e.emit('k', 5);
    expect(seen).toEqual([5]);
    expect(log.lines.map((l) => l.msg)).toEqual(['push listener failed']);
  });

  it('a stale subscription from before clear() does not remove the new listeners of its key', () => {
    const events: string[] = [];
    const e = new KeyedEmitter<string, []>({ name: 'x', log: recordingLog(), onLastListener: (k) => events.push(`last ${k}`) });
    const old = e.on('a', () => events.push('old'));
    e.clear();
    e.on('a', () => events.push('new'));
    old.dispose();
    e.emit('a');
    expect(events).toEqual(['new']);
  });
});
