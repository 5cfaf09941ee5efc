import { describe, expect, it } from 'vitest';
import { ModelManifestSchema, type ModelManifest } from '../../shared/domain/model';
import type { ModelEntry } from '../models/model-registry';
import { ExtraModels } from './extra-models';

function manifest(id: string): ModelManifest {
  return ModelManifestSchema.parse({ id, name: `${id} model`, file: `${id}.onnx`, sha256: 'a'.repeat(64), licence: 'Apache-2.0', input: { name: 'images', shape: [1, 3, 416, 416], layout: 'nchw', colour: 'bgr', letterbox: 'topleft' }, decoder: 'yolox', classes: ['person'], rank: 1 });
}
const installed = (id: string): ModelEntry => ({ manifest: manifest(id), manifestPath: `/m/${id}.json`, filePath: `/m/${id}.onnx`, status: 'installed', actualSha256: 'a'.repeat(64) });

describe('ExtraModels', () => {
  it('asks for installed models, refuses the rest with why, and sends a request only when it changes', () => {
    const extras = new ExtraModels();
    const entries = [installed('a'), { ...installed('b'), status: 'invalid' as const, error: 'bad hash' }];
    const plan = extras.plan(['a', 'b', 'c'], entries);
    expect(plan.ask).toEqual([{ id: 'a', model: '/m/a.json' }]);
    expect(Object.fromEntries(plan.refused)).toEqual({ b: 'bad hash', c: 'no such model is installed' });
    expect(extras.apply(plan)).toEqual({ send: [{ id: 'a', model: '/m/a.json' }], problemsChanged: false, errorsChanged: true });
    expect(extras.hasFailed('c')).toBe(true);
    expect(extras.hasFailed('a')).toBe(false);
    // the same wish again: nothing to send, nothing changed; a reload forces the request
    expect(extras.apply(extras.plan(['a', 'b', 'c'], entries))).toEqual({ send: null, problemsChanged: false, errorsChanged: false });
    expect(extras.apply(extras.plan(['a', 'b', 'c'], entries), true).send).toEqual([{ id: 'a', model: '/m/a.json' }]);
    // nothing wanted and nothing loaded: nothing to send
    expect(extras.apply(extras.plan([], entries)).send).toBeNull();
  });

  it("takes the worker's report: loaded models route cameras, failures keep their reason while still asked for", () => {
    const extras = new ExtraModels();
    extras.apply(extras.plan(['a', 'b', 'gone'], [installed('a'), installed('b')]));
    expect(extras.onReport({ loaded: [{ modelId: 'a', executionProvider: 'cpu' }, { modelId: 'not-asked', executionProvider: 'cpu' }], failed: [{ modelId: 'b', error: 'cannot load' }] })).toBe(true);
    expect(extras.get('a')?.manifest.id).toBe('a');
    expect(extras.loadedIds()).toEqual(['a']);
    expect(extras.view()).toEqual({ loaded: [{ id: 'a', name: 'a model', executionProvider: 'cpu' }], failed: new Map([['gone', 'no such model is installed'], ['b', 'cannot load']]), problems: new Map() });
    // the same report again changes nothing (compared by content, not order)
    expect(extras.onReport({ loaded: [{ modelId: 'a', executionProvider: 'cpu' }], failed: [{ modelId: 'b', error: 'cannot load' }] })).toBe(false);
    // b no longer wanted: its failure is forgotten with the next request
    expect(extras.apply(extras.plan(['a', 'gone'], [installed('a')])).errorsChanged).toBe(true);
    expect(extras.view().failed).toEqual(new Map([['gone', 'no such model is installed']]));
  });

  it('keeps a loaded model whose file went away asked for, with a problem, and forgets everything loaded on clear()', () => {
    const extras = new ExtraModels();
    extras.apply(extras.plan(['a'], [installed('a')]));
    extras.onReport({ loaded: [{ modelId: 'a', executionProvider: 'cpu' }], failed: [] });
    const plan = extras.plan(['a'], [{ ...installed('a'), status: 'missing', error: 'model file a.onnx is not installed' }]);
    expect(plan.ask).toEqual([{ id: 'a', model: '/m/a.json' }]);
    expect(plan.problems.get('a')).toMatch(/a model has a problem \(model file a.onnx is not installed\); it keeps running from memory/);
    const applied = extras.apply(plan);
    expect(applied).toMatchObject({ send: null, problemsChanged: true, errorsChanged: false });
    expect(extras.view().problems.get('a')).toMatch(/keeps running from memory/);
    expect(extras.apply(extras.plan(['a'], [{ ...installed('a'), status: 'missing', error: 'model file a.onnx is not installed' }])).problemsChanged).toBe(false);
    extras.clear();
    expect(extras.view()).toEqual({ loaded: [], failed: new Map(), problems: new Map() });
    // a new worker is asked again, even for the same wish
    expect(extras.apply(extras.plan(['a'], [installed('a')])).send).toEqual([{ id: 'a', model: '/m/a.json' }]);
  });
});
