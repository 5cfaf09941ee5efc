import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '../../../shared/domain/rules';
import { dryRunSummary, LatestOnly } from './dry-run-text';

const [line, zone] = parseRulesFile({
  rules: [
    { id: 'door', type: 'line', points: [[0, 0.5], [1, 0.5]] },
    { id: 'floor', type: 'zone', points: [[0, 0], [1, 0], [1, 1]] },
  ],
}).rules;
const result = { in: 112, out: 97, enter: 5, exit: 4, alarms: 3, tracks: 540, since: 0, warnings: [] };

describe('dry-run text', () => {
  it('says what a line or a zone would have counted, with the alarms and the basis', () => {
    expect(dryRunSummary(line!, result, () => '09:14')).toBe('Would have counted 112 in / 97 out and raised 3 alarms (540 stored tracks since 09:14).');
    expect(dryRunSummary(zone!, { ...result, alarms: 1 }, () => '09:14')).toBe('Would have counted 5 entries / 4 exits and raised 1 alarm (540 stored tracks since 09:14).');
  });
  it('says plainly when there is nothing to replay yet', () => {
    expect(dryRunSummary(line!, { ...result, in: 0, out: 0, alarms: 0, tracks: 0 }, () => 'x')).toMatch(/^Would have counted 0 in \/ 0 out and raised no alarm \(no stored tracks yet/);
  });
  it('keeps only the newest answer', () => {
    const l = new LatestOnly();
    const a = l.next();
    const b = l.next();
    expect(l.isCurrent(a)).toBe(false);
    expect(l.isCurrent(b)).toBe(true);
  });
});
