import { describe, expect, it } from 'vitest';
import { FACE_LEGAL_NOTICE } from '../../../shared/domain/faces';
import { expiryDay, expiryIso, exportFileName, isExpired, noticeBlocks, refusedPhotoIndex, thresholdWords } from './watchlist-text';

describe('watchlist text', () => {
  it('says how strict a threshold is from its value, whatever the category', () => {
    expect(thresholdWords(0.62)).toBe('0.62: strict, few false matches');
    expect(thresholdWords(0.58)).toBe('0.58: lenient, finds more, with more false matches to reject');
    expect(thresholdWords(0.8)).toBe('0.80: very strict, almost no false matches but misses more real ones');
    expect(thresholdWords(0.45)).toBe('0.45: very lenient, many false matches');
  });

  it('finds the photo an enrolment refusal names, ', () => {
    expect(refusedPhotoIndex('Photo 2: no face found in the photo')).toBe(1);
    expect(refusedPhotoIndex('Photo 3 is not a readable picture')).toBe(2);
    expect(refusedPhotoIndex('Photo 10: the photo shows 2 faces; use a photo of this person alone')).toBe(9);
    expect(refusedPhotoIndex('The expiry date is in the past.')).toBeNull();
  });

  it('reads the expiry date as the end of that day in the site zone, and tells expired entries', () => {
    expect(expiryIso('2027-03-01', 'Europe/Berlin')).toBe('2027-03-01T22:59:59Z');
    expect(expiryIso('', 'UTC')).toBeNull();
    expect(expiryIso('not a date', 'UTC')).toBeNull();
    expect(expiryDay('2027-03-01T22:59:59Z', 'Europe/Berlin')).toBe('2027-03-01');
    expect(isExpired('2027-03-01T22:59:59Z', Date.parse('2027-03-02T00:00:00Z'))).toBe(true);
    expect(isExpired('2027-03-01T22:59:59Z', Date.parse('2027-03-01T00:00:00Z'))).toBe(false);
    expect(isExpired(null, Date.now())).toBe(false);
  });

  it('names an export file safely', () => {
    expect(exportFileName('Lisa Müller / ext.', Date.parse('2026-12-07T10:00:00Z'))).toBe('watchlist-lisa-muller-ext-2026-12-07.json');
    expect(exportFileName('***', 0)).toBe('watchlist-person-1970-01-01.json');
  });

  it('shows the legal notice as paragraphs and a list, every line of it', () => {
    const blocks = noticeBlocks(FACE_LEGAL_NOTICE);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toBe('Face matching processes biometric data. Before switching it on for this camera, make sure that:');
    expect(blocks[1]).toHaveLength(3);
    expect(blocks[2]).toMatch(/^Watchroom keeps nothing about faces that match no one\. A match keeps the face picture as alarm evidence until the retention period ends\. Every .* audited\.$/);
    expect(blocks.flat().join(' ').replace(/\s+/g, ' ')).toBe(FACE_LEGAL_NOTICE.replace(/\n- /g, ' ').replace(/\s+/g, ' '));
  });
});
