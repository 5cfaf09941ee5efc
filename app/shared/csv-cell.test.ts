import { describe, expect, it } from 'vitest';
import { neutraliseCsvCell } from './csv-cell';

describe('neutraliseCsvCell (OWASP CSV injection)', () => {
  it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', "=HYPERLINK(\"http://evil.example\",\"x\")"])('prefixes %j with a quote', (v) => {
    expect(neutraliseCsvCell(v)).toBe(`'${v}`);
  });
  it.each(['', 'Front door', 'a=b', ' =1', "'=1", 'Ünïcödé'])('leaves %j alone', (v) => {
    expect(neutraliseCsvCell(v)).toBe(v);
  });
});
