import { describe, expect, it } from 'vitest';
import type { FaceLookRequest } from '../faces/face-look';
import { FaceLookCalls } from './face-look-calls';
import type { ToInferenceWorker } from './inference-worker-protocol';

const look: FaceLookRequest = { cameraId: 'cam-a', models: { detector: 'd.json', embedding: 'e.json' }, jpeg: new Uint8Array([0xff, 0xd8, 0xff]), regions: [[0.1, 0.1, 0.4, 0.5]] };
const face = { box: [1, 2, 30, 40], score: 0.9, landmarks: [[5, 6]], quality: { eyeDistancePx: 12, yaw: 0.1, pitch: 0.5, sharpness: 0.7, score: 0.6 }, rejected: null, embedding: new Float32Array([0.6, 0.8]), crop: new Uint8Array(12) };

describe('FaceLookCalls (the engine side of face looks)', () => {
  it('sends each look with its own id, the JPEG as bytes, and answers it with the checked reply', async () => {
    const sent: ToInferenceWorker[] = [];
    const calls = new FaceLookCalls();
    const slab = new Uint8Array(64);
    const a = calls.call((m) => sent.push(m), { ...look, jpeg: slab.subarray(8, 16) });
    const b = calls.call((m) => sent.push(m), look);
    const [ma, mb] = sent as Extract<ToInferenceWorker, { type: 'face-look' }>[];
    expect(ma!.id).not.toBe(mb!.id);
    // a view into a larger buffer goes as a copy of its own bytes only
    expect(ma!.look.jpeg.buffer.byteLength).toBe(8);
    calls.answer(mb!.id, { status: 'ok', faces: [face, null], cropSize: 2 });
    calls.answer(ma!.id, { status: 'ok', faces: [{ ...face, embedding: [0.6, 0.8] }], cropSize: 2 }); // numbers, not a Float32Array
    expect(await b).toMatchObject({ status: 'ok', faces: [{ score: 0.9, embedding: new Float32Array([0.6, 0.8]) }, null], cropSize: 2 });
    expect(await a).toEqual({ status: 'error', message: 'the inference worker sent a malformed face look answer' });
  });

  it('a worker that stops ends every look in flight skipped; a late or unknown answer is ignored', async () => {
    const sent: ToInferenceWorker[] = [];
    const calls = new FaceLookCalls();
    const a = calls.call((m) => sent.push(m), look);
    calls.failAll('the inference worker stopped');
    expect(await a).toEqual({ status: 'skipped', reason: 'the inference worker stopped' });
    calls.answer((sent[0] as { id: number }).id, { status: 'ok', faces: [], cropSize: 2 });
    calls.answer(999, { status: 'skipped', reason: 'x' });
  });
});
