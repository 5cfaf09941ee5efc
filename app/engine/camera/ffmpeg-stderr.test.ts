import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FfmpegStderrLines, FfmpegStderrReader, type FfmpegStderrHandlers } from './ffmpeg-stderr';

function lines(source = 'rtsp://admin:s3cret@10.0.0.5/stream1') {
  const seen = { timing: [] as string[], rejected: [] as string[], sizes: [] as [number, number][] };
  const handlers: FfmpegStderrHandlers = {
    source,
    timing: (line) => (line.startsWith('bench:') ? (seen.timing.push(line), true) : false),
    onRejected: (reason) => seen.rejected.push(reason),
    onInputSize: (w, h) => seen.sizes.push([w, h]),
  };
  return { stderr: new FfmpegStderrLines(handlers), seen };
}

describe('FfmpegStderrLines', () => {
  it('cuts lines across chunks and line ends, keeps no blank or timing line, masks the credentials', () => {
    const { stderr, seen } = lines();
    stderr.push("Input #0, rtsp, from 'rtsp://admin:s3cret@10.0.0.5/str");
    stderr.push("eam1':\r\n\r\nbench: decode 1\rbench: decode 2\n  Stream #0:0: Video: h264, yuv420p, 1920x1080, 25 fps\n");
    stderr.push('Output #0, mjpeg, to pipe:3:\npartial');
    expect(seen.timing).toEqual(['bench: decode 1', 'bench: decode 2']);
    expect(stderr.tail.join('\n')).not.toContain('s3cret');
    expect(stderr.tail).toHaveLength(3);
    expect(stderr.tail[2]).toBe('Output #0, mjpeg, to pipe:3:');
    expect(seen.sizes).toEqual([[1920, 1080]]);
    expect(seen.rejected).toEqual([]);
  });

  it('reports a refused input format and the input size only before the outputs open', () => {
    const { stderr, seen } = lines('/videos/notes.txt');
    stderr.push("Input #0, tty, from '/videos/notes.txt':\n  Stream #0:0: Video: ansi, pal8, 640x400, 25 fps\n");
    stderr.push("Output #0, mjpeg, to 'pipe:3':\n  Stream #0:0: Video: mjpeg, yuvj420p, 320x200, q=2-31\nInput #0, tty, from 'x':\n");
    expect(seen.rejected).toEqual(['Not a playable video (the source is text, not video)']);
    expect(seen.sizes).toEqual([[640, 400]]);
  });

  it('keeps only the last 40 lines', () => {
    const { stderr } = lines();
    stderr.push(Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n');
    expect(stderr.tail).toHaveLength(40);
    expect(stderr.tail[0]).toBe('line 10');
    expect(stderr.tail.at(-1)).toBe('line 49');
  });
});

describe('FfmpegStderrReader', () => {
  it('reads a child process stderr as text, batched or not, to the end', async () => {
    const child = spawn(process.execPath, ['-e', "for (let i = 0; i < 20; i++) process.stderr.write('line ' + i + ' é\\n');"], { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    const reader = new FfmpegStderrReader(child.stderr, (t) => (text += t), 10);
    reader.startBatching();
    child.once('exit', () => reader.stopBatching());
    await new Promise((r) => child.once('close', r));
    reader.close();
    expect(text.split('\n').filter(Boolean)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i} é`));
  });
});
