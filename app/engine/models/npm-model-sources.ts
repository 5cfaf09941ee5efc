import type { FaceModelManifest } from '../../shared/domain/face-model';
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

/** A face model (detector with landmarks, or embedding) converted the same way; its manifest has a `role`. */
export interface NpmFaceModelSource extends Omit<NpmModelSource, 'manifest'> {
  manifest: Omit<FaceModelManifest, 'file' | 'sha256' | 'input'> & { input: Omit<FaceModelManifest['input'], 'shape'> };
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

const BLAZEFACE_HEAD = 'StatefulPartitionedCall/functional_1';

/**
 * MediaPipe BlazeFace, "back camera" variant (256x256, 896 anchors, 6 landmarks: eyes, nose tip, mouth, ears),
 * cut before the Reshape tail: the four head convolutions come out NHWC, so their flat order is the anchor order.
 */
export const HUMAN_BLAZEFACE: NpmFaceModelSource = {
  id: 'face-detector',
  packageName: '@vladmandic/human',
  packageVersion: '3.3.6',
  modelJson: 'models/blazeface.json',
  files: {
    'models/blazeface.json': 'cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f',
    'models/blazeface.bin': 'dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72',
  },
  convert: {
    outputs: [
      { tf: `${BLAZEFACE_HEAD}/conv2d_33/BiasAdd`, name: 'scores16' },
      { tf: `${BLAZEFACE_HEAD}/conv2d_35/BiasAdd`, name: 'boxes16' },
      { tf: `${BLAZEFACE_HEAD}/conv2d_34/BiasAdd`, name: 'scores8' },
      { tf: `${BLAZEFACE_HEAD}/conv2d_36/BiasAdd`, name: 'boxes8' },
    ],
    inputName: 'image',
    inputLayout: 'nchw',
    outputLayout: 'nhwc',
  },
  inputSize: 256,
  manifest: {
    id: 'face-detector',
    role: 'face-detector',
    name: 'BlazeFace (back camera variant, converted from TF.js)',
    licence: 'Apache-2.0 (MediaPipe BlazeFace); the npm package @vladmandic/human that ships the TF.js graph is MIT',
    provenance: [
      'MediaPipe BlazeFace "back camera" face detector (Google, Apache-2.0), as the TF.js graph models/blazeface.json + .bin',
      'shipped in the npm package @vladmandic/human@3.3.6; converted to ONNX at install time by Watchroom\'s tfjs-convert,',
      'cut before the Reshape tail (anchor decoding is done by app/engine/faces/face-detector.ts).',
    ].join(' '),
    input: { name: 'image', layout: 'nchw', colour: 'rgb', normalise: { scale: 1 / 127.5, mean: 1, std: 1 } },
    outputs: { scores16: 'scores16', boxes16: 'boxes16', scores8: 'scores8', boxes8: 'boxes8' },
  },
};

/**
 * HSE FaceRes (MobileNet trained on VGGFace2 by A. Savchenko): its 1024-value global pooling layer is the face
 * embedding (the age and gender heads are cut off). Input: an aligned face crop, RGB 0..255.
 */
export const HUMAN_FACERES: NpmFaceModelSource = {
  id: 'face-embedding',
  packageName: '@vladmandic/human',
  packageVersion: '3.3.6',
  modelJson: 'models/faceres.json',
  files: {
    'models/faceres.json': '5b83d49c0385d2e68a05122441b94226313677cae9fcc40b9587ad50079eb4df',
    'models/faceres.bin': '2c7d2d62b76c97528b736527aa09d310ea71743c9e3e79fb6c62d4b2d73af79b',
  },
  convert: {
    outputs: [{ tf: 'global_pooling/Mean', name: 'embedding' }],
    inputName: 'face',
    inputLayout: 'nchw',
    outputLayout: 'nchw',
  },
  inputSize: 224,
  manifest: {
    id: 'face-embedding',
    role: 'face-embedding',
    name: 'HSE FaceRes face description (1024 values, converted from TF.js)',
    licence: 'MIT (npm package @vladmandic/human); upstream HSE_FaceRec_tf weights published for research, licence see native-models/README.md',
    provenance: [
      'HSE FaceRes (MobileNet face description network by A. Savchenko, https://github.com/HSE-asavchenko/HSE_FaceRec_tf),',
      'as the TF.js graph models/faceres.json + .bin shipped in the npm package @vladmandic/human@3.3.6; converted to ONNX',
      'at install time by Watchroom\'s tfjs-convert, cut at global_pooling/Mean (the age and gender heads are dropped).',
    ].join(' '),
    input: { name: 'face', layout: 'nchw', colour: 'rgb', normalise: { scale: 1, mean: 0, std: 1 } },
    outputs: { embedding: 'embedding' },
  },
};

export const NPM_MODEL_SOURCES: readonly (NpmModelSource | NpmFaceModelSource)[] = [HUMAN_CENTERNET, HUMAN_BLAZEFACE, HUMAN_FACERES];
