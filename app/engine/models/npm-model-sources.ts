import type { ModelManifest } from '../../shared/domain/model';
import { COCO80 } from '../inference/decoders/coco-classes';
import type { ConvertOptions } from './tfjs-convert/convert-graph';

/**
 * Detectors converted at install time from TF.js graph models that ship inside npm packages, so a
 * fresh `npm install` has a working detector without any download beyond the npm registry. Versions and
 * file hashes are pinned: a different package version or changed bytes is refused, never converted.
 */
export interface NpmModelSource {
  /** Manifest id of the converted model. */
  id: string;
  /** npm package that ships the model, and the exact version whose files are pinned below. */
  packageName: string;
  packageVersion: string;
  /** model.json path inside the package. */
  modelJson: string;
  /** Lower-case hex SHA-256 of every source file (model.json and each weight shard), by path in the package. */
  files: Record<string, string>;
  /** Where to cut the graph (the post-processing tail is replaced by our decoder) and the ONNX I/O names. */
  convert: Pick<ConvertOptions, 'outputs' | 'inputName' | 'inputLayout' | 'outputLayout'>;
  /** Default model input size (square); other sizes can be converted on request. */
  inputSize: number;
  /** Manifest fields other than file, sha256 and input.shape (filled in after conversion). */
  manifest: Omit<ModelManifest, 'file' | 'sha256' | 'input'> & { input: Omit<ModelManifest['input'], 'shape'> };
}

export const HUMAN_CENTERNET: NpmModelSource = {
  id: 'centernet-mbv3-coco',
  packageName: '@vladmandic/human',
  packageVersion: '3.3.6',
  modelJson: 'models/centernet.json',
  files: {
    'models/centernet.json': 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
    'models/centernet.bin': '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
  },
  convert: {
    outputs: [{ tf: 'tower_0/keypoints', name: 'keypoints' }, { tf: 'tower_0/wh', name: 'wh' }],
    inputName: 'images',
    inputLayout: 'nchw',
    outputLayout: 'nchw',
  },
  inputSize: 512,
  manifest: {
    id: 'centernet-mbv3-coco',
    name: 'CenterNet MobileNetV3 (COCO, converted from TF.js)',
    licence: 'MIT (npm package @vladmandic/human); upstream training repository unlicensed',
    provenance: [
      'MobileNetV3 CenterNet trained on COCO by https://github.com/610265158/mobilenetv3_centernet, as the TF.js graph model',
      'models/centernet.json + centernet.bin shipped in the npm package @vladmandic/human@3.3.6 (converted to TF.js by',
      'https://github.com/vladmandic); converted to ONNX at install time by Watchroom\'s tfjs-convert, cut before the graph\'s',
      'TopK/Gather post-processing tail (replaced by the centernet decoder). The CenterNet training repository carries no',
      'licence file of its own; the npm package is MIT.',
    ].join(' '),
    input: {
      name: 'images',
      layout: 'nchw',
      colour: 'rgb',
      normalise: { scale: 1 },
      letterbox: 'topleft',
      padValue: 0,
    },
    decoder: 'centernet',
    decoderOptions: { heatmap: 'keypoints', sizes: 'wh', layout: 'nchw', stride: 4, topK: 100 },
    classes: [...COCO80],
    thresholds: { score: 0.3, nmsIou: 0.45, perClass: {} },
    rank: -10,
  },
};

export const NPM_MODEL_SOURCES: readonly NpmModelSource[] = [HUMAN_CENTERNET];
