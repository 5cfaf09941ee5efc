import type { Box } from '../../shared/domain/detection';
import type { LetterboxInfo, ModelInputSpec } from './inference-api';

/**
 * Letterbox geometry shared by ffmpeg (which scales/pads the frame) and the decoders (which undo it).
 * r = min(inW/srcW, inH/srcH); content = floor(src * r) (at least 1 px); topleft pads right/bottom only,
 * center splits the padding (floor on the left/top, like Ultralytics), stretch fills the whole input.
 */
export function computeLetterbox(srcWidth: number, srcHeight: number, spec: Pick<ModelInputSpec, 'width' | 'height' | 'letterbox'>): LetterboxInfo {
  if (!(srcWidth > 0 && srcHeight > 0)) throw new Error(`invalid source size ${srcWidth}x${srcHeight}`);
  const inputWidth = spec.width;
  const inputHeight = spec.height;
  if (spec.letterbox === 'stretch') {
    return { srcWidth, srcHeight, inputWidth, inputHeight, contentWidth: inputWidth, contentHeight: inputHeight, padX: 0, padY: 0 };
  }
  const r = Math.min(inputWidth / srcWidth, inputHeight / srcHeight);
  const contentWidth = Math.max(1, Math.min(inputWidth, Math.floor(srcWidth * r + 1e-9)));
  const contentHeight = Math.max(1, Math.min(inputHeight, Math.floor(srcHeight * r + 1e-9)));
  const padX = spec.letterbox === 'center' ? Math.floor((inputWidth - contentWidth) / 2) : 0;
  const padY = spec.letterbox === 'center' ? Math.floor((inputHeight - contentHeight) / 2) : 0;
  return { srcWidth, srcHeight, inputWidth, inputHeight, contentWidth, contentHeight, padX, padY };
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Maps corners in model-input pixels to a normalised source-frame box (clamped to 0..1). */
export function inputToSourceBox(x1: number, y1: number, x2: number, y2: number, lb: LetterboxInfo): Box {
  return [
    clamp01((x1 - lb.padX) / lb.contentWidth),
    clamp01((y1 - lb.padY) / lb.contentHeight),
    clamp01((x2 - lb.padX) / lb.contentWidth),
    clamp01((y2 - lb.padY) / lb.contentHeight),
  ];
}
