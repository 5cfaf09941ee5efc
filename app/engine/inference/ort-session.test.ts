import { describe, expect, it } from 'vitest';
import { defaultSessionCount } from './detector-pool';
import { ortErrorMessage, parseExecutionProviders } from './ort-session';

describe('execution provider settings', () => {
  it('parses a preference list and rejects unknown names', () => {
    expect(parseExecutionProviders(undefined)).toEqual(['cpu']);
    expect(parseExecutionProviders('CUDA, cpu')).toEqual(['cuda', 'cpu']);
    expect(() => parseExecutionProviders('tpu')).toThrow(/unknown execution provider "tpu"/);
  });
  it('one session per core (max 4) on CPU, one on a GPU provider', () => {
    expect(defaultSessionCount(['cpu'])).toBeGreaterThanOrEqual(1);
    expect(defaultSessionCount(['cpu'])).toBeLessThanOrEqual(4);
    expect(defaultSessionCount(['cuda', 'cpu'])).toBe(1);
  });
  it('cleans ORT error text', () => {
    expect(ortErrorMessage(new Error(`${String.fromCharCode(27)}[1;31mboom${String.fromCharCode(27)}[m\nstack`))).toBe('boom');
  });
});
