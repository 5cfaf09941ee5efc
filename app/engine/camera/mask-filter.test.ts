import { describe, expect, it } from 'vitest';
import { maskedOut, PrivacyMaskSchema } from '../../shared/domain/privacy-mask';
import { buildFfmpegArgs } from './ffmpeg-args';
import { burnMasksIntoGraph, maskImage } from './mask-filter';

const mask = (id: string, points: [number, number][], style: 'solid' | 'blur' = 'solid', detections: 'ignore' | 'keep' = 'ignore') =>
  PrivacyMaskSchema.parse({ id, points, style, detections });

describe('maskImage', () => {
  it('is null without masks, a P5 PGM otherwise, solid 255 over blur 128, nothing outside', () => {
    expect(maskImage([])).toBeNull();
    const img = maskImage([mask('b', [[0, 0], [0.5, 0], [0.5, 1], [0, 1]], 'blur'), mask('s', [[0.25, 0], [0.75, 0], [0.75, 1], [0.25, 1]])], 100, 10)!;
    const header = 'P5\n100 10\n255\n';
    expect(img.subarray(0, header.length).toString('ascii')).toBe(header);
    const px = img.subarray(header.length);
    expect(px.length).toBe(1000);
    const at = (x: number, y: number) => px[y * 100 + x];
    expect(at(10, 5)).toBe(128);
    expect(at(30, 5)).toBe(255); // overlap: solid wins
    expect(at(70, 5)).toBe(255);
    expect(at(80, 5)).toBe(0);
    expect(at(99, 9)).toBe(0);
  });

  it('covers every pixel a triangle touches (conservative edges)', () => {
    const px = maskImage([mask('t', [[0.1, 0.1], [0.9, 0.1], [0.5, 0.9]])], 200, 200)!.subarray('P5\n200 200\n255\n'.length);
    // Pixel centres well inside are filled; corners of the frame are not.
    expect(px[50 * 200 + 100]).toBe(255);
    expect(px[0]).toBe(0);
    expect(px[199 * 200 + 199]).toBe(0);
    // The row through the apex region is filled around x = 100.
    expect(px[170 * 200 + 100]).toBe(255);
  });
});

describe('burnMasksIntoGraph / buildFfmpegArgs', () => {
  it('leaves the graph alone without masks', () => {
    const plan = buildFfmpegArgs({ source: '/tmp/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 5 });
    expect(plan.maskImage).toBeNull();
    expect(plan.args.join(' ')).not.toContain('pgm_pipe');
    expect(burnMasksIntoGraph('[0:v]null[disp]', 5, [], 'pipe:5')).toBeNull();
  });

  it('feeds the mask on fd 5 and masks only the display branch', () => {
    const plan = buildFfmpegArgs({
      source: '/tmp/a.mp4',
      kind: 'file',
      rtspTransport: 'tcp',
      analysisFps: 5,
      inference: { modelId: 'm', width: 320, height: 320, colour: 'bgr', letterbox: 'center', padValue: 114 },
      masks: [mask('s', [[0, 0], [0.2, 0], [0.2, 0.2]])],
    });
    expect(plan.maskImage?.subarray(0, 2).toString()).toBe('P5');
    const args = plan.args;
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(args.slice(args.indexOf('/tmp/a.mp4') + 1, args.indexOf('/tmp/a.mp4') + 5)).toEqual(['-f', 'pgm_pipe', '-i', 'pipe:5']);
    // Inference reads the unmasked split; the mask chain ends in [disp].
    expect(graph).toContain('[inf_in]');
    expect(graph).toContain('[disp_unmasked]');
    expect(graph).toMatch(/\[mk_d3\]null\[disp\]$/);
    expect(graph).not.toContain('boxblur');
  });

  it('reads the mask image from the endpoint it is given (a file with the local-sockets transport)', () => {
    const endpoints = { jpeg: 'unix:/tmp/wr/1.sock', raw: 'unix:/tmp/wr/2.sock', mask: 'file:/tmp/wr/mask-2.pgm' };
    const plan = buildFfmpegArgs({ source: '/tmp/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 5, masks: [mask('s', [[0, 0], [0.2, 0], [0.2, 0.2]])], endpoints });
    const args = plan.args;
    expect(args.slice(args.indexOf('/tmp/a.mp4') + 1, args.indexOf('/tmp/a.mp4') + 5)).toEqual(['-f', 'pgm_pipe', '-i', 'file:/tmp/wr/mask-2.pgm']);
    expect(plan.maskImage?.subarray(0, 2).toString()).toBe('P5');
  });
});

describe('maskedOut', () => {
  it('drops boxes whose centre is inside an ignore mask only', () => {
    const m = [mask('a', [[0, 0], [0.5, 0], [0.5, 1], [0, 1]]), mask('k', [[0.5, 0], [1, 0], [1, 0.5], [0.5, 0.5]], 'solid', 'keep')];
    expect(maskedOut([0.1, 0.1, 0.3, 0.3], m)).toBe(true);
    expect(maskedOut([0.4, 0.1, 0.8, 0.3], m)).toBe(false); // centre 0.6: outside the ignore mask
    expect(maskedOut([0.6, 0.1, 0.8, 0.3], m)).toBe(false); // inside the keep mask
  });
});
