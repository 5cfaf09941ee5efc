import { describe, expect, it } from 'vitest';
import { ModelManifestSchema } from '../../shared/domain/model';
import { rankEntries, type ModelEntry } from './model-registry';

const entry = (id: string, decoder: 'yolox' | 'ultralytics' | 'centernet', rank: number, status: ModelEntry['status'] = 'installed'): ModelEntry => ({
  manifest: ModelManifestSchema.parse({ id, name: id, file: `${id}.onnx`, licence: 'x', decoder, classes: ['person'], rank, input: { name: 'images', shape: [1, 3, 416, 416], layout: 'nchw', colour: 'bgr', letterbox: 'topleft' } }),
  manifestPath: `/m/${id}.json`,
  filePath: `/m/${id}.onnx`,
  status,
});

describe('model ranking', () => {
  it('installed first, then rank, then YOLOX/Ultralytics before converted CenterNet, then id', () => {
    const out = rankEntries([
      entry('centernet-x', 'centernet', 50),
      entry('yolov8n', 'ultralytics', 80),
      entry('yolox-nano', 'yolox', 100, 'missing'),
      entry('tie-cn', 'centernet', 80),
      entry('broken', 'yolox', 1000, 'invalid'),
    ]);
    expect(out.map((e) => e.manifest.id)).toEqual(['yolov8n', 'tie-cn', 'centernet-x', 'yolox-nano', 'broken']);
  });
});
