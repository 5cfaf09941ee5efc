import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../../shared/domain/camera';
import { changedFields, formValuesFrom, sourceKind, validateForm } from './camera-form-model';

const saved: CameraView = {
  id: 'c1', name: 'Gate', source: 'rtsp://admin:***@10.0.0.5/s1', sourceKind: 'rtsp', rtspTransport: 'udp', analysisFps: 5,
  enabled: true, modelId: null, createdAt: '', updatedAt: '', state: { type: 'disabled' },
};

describe('camera form model', () => {
  it('validates with the shared schema and reports per field', () => {
    const r = validateForm({ ...formValuesFrom(null), name: ' ', source: 'ftp://x', analysisFps: '99' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fields).sort()).toEqual(['analysisFps', 'name', 'source']);
    const ok = validateForm({ ...formValuesFrom(null), name: 'Door', source: ' /videos/a.mp4 ', analysisFps: '2.5' });
    expect(ok).toEqual({ ok: true, input: { name: 'Door', source: '/videos/a.mp4', rtspTransport: 'tcp', analysisFps: 2.5, enabled: true, modelId: null, detectionTiling: null, motionGating: { enabled: true, sensitivity: 'medium' } } });
    expect(validateForm({ ...formValuesFrom(null), name: 'x', source: '/a.mp4', analysisFps: '' }).ok).toBe(false);
  });

  it('sends only changed fields, keeping an untouched masked source out of the patch', () => {
    const v = formValuesFrom(saved);
    const r = validateForm({ ...v, name: 'Main gate' });
    expect(r.ok && changedFields(saved, r.input)).toEqual({ name: 'Main gate' });
    const r2 = validateForm({ ...v, source: 'rtsp://admin:***@10.0.0.6/s1', modelId: 'yolox-nano' });
    expect(r2.ok && changedFields(saved, r2.input)).toEqual({ source: 'rtsp://admin:***@10.0.0.6/s1', modelId: 'yolox-nano' });
  });

  it('tiled detection: off unless chosen, sent only when changed, keeping a saved overlap', () => {
    const v = formValuesFrom(saved);
    expect(v).toMatchObject({ tilingGrid: '', tilingWhole: false });
    const on = validateForm({ ...v, tilingGrid: '2x1' });
    expect(on.ok && changedFields(saved, on.input)).toEqual({ detectionTiling: { columns: 2, rows: 1, overlap: 0.2, wholeFrame: false } });
    const tiled: CameraView = { ...saved, detectionTiling: { columns: 3, rows: 2, overlap: 0.3, wholeFrame: true } };
    const same = validateForm(formValuesFrom(tiled));
    expect(same.ok && changedFields(tiled, same.input)).toEqual({});
    const whole = validateForm({ ...formValuesFrom(tiled), tilingWhole: false });
    expect(whole.ok && changedFields(tiled, whole.input)).toEqual({ detectionTiling: { columns: 3, rows: 2, overlap: 0.3, wholeFrame: false } });
    const off = validateForm({ ...formValuesFrom(tiled), tilingGrid: '' });
    expect(off.ok && changedFields(tiled, off.input)).toEqual({ detectionTiling: null });
  });

  it('knows when the source is RTSP (to show the transport)', () => {
    expect(sourceKind('rtsp://cam/s')).toBe('rtsp');
    expect(sourceKind('/dev/video0')).toBe('device');
    expect(sourceKind('nonsense')).toBeNull();
  });

  it('motion-gated detection: on (medium) for a new camera; off or another sensitivity sent only when changed', () => {
    expect(formValuesFrom(null).motion).toBe('medium');
    const saved = { id: 'c1', name: 'Door', source: '/v/a.mp4', sourceKind: 'file' as const, rtspTransport: 'tcp' as const, analysisFps: 10, enabled: true, modelId: null, createdAt: '', updatedAt: '', state: { type: 'disabled' as const } };
    const same = validateForm(formValuesFrom(saved));
    expect(same.ok && changedFields(saved, same.input)).toEqual({});
    const off = validateForm({ ...formValuesFrom(saved), motion: 'off' });
    expect(off.ok && changedFields(saved, off.input)).toEqual({ motionGating: { enabled: false, sensitivity: 'medium' } });
    const high = validateForm({ ...formValuesFrom({ ...saved, motionGating: { enabled: false, sensitivity: 'low' } }), motion: 'high' });
    expect(high.ok && changedFields({ ...saved, motionGating: { enabled: false, sensitivity: 'low' } }, high.input)).toEqual({ motionGating: { enabled: true, sensitivity: 'high' } });
    expect(formValuesFrom({ ...saved, motionGating: { enabled: false, sensitivity: 'low' } }).motion).toBe('off');
  });
});
