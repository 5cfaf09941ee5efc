import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { asarUnpackedPath } from '../process/app-paths';
import { ffmpegCandidates, resolveFfmpeg } from './resolve-ffmpeg';

const tmp = tempDirs('watchroom-ffmpeg-path-');

/** The real ffmpeg on PATH (the tests' machine has Debian's). */
function systemFfmpeg(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'ffmpeg');
    if (fs.existsSync(p)) return p;
  }
  throw new Error('ffmpeg is not on PATH');
}

describe('ffmpeg path in a packaged app', () => {
  it('maps paths inside app.asar to app.asar.unpacked, on POSIX and Windows, and leaves others alone', () => {
    expect(asarUnpackedPath('/opt/Watchroom/resources/app.asar/node_modules/ffmpeg-static/ffmpeg')).toBe('/opt/Watchroom/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
    expect(asarUnpackedPath('C:\\Program Files\\Watchroom\\resources\\app.asar\\node_modules\\ffmpeg-static\\ffmpeg.exe')).toBe(
      'C:\\Program Files\\Watchroom\\resources\\app.asar.unpacked\\node_modules\\ffmpeg-static\\ffmpeg.exe',
    );
    expect(asarUnpackedPath('/opt/Watchroom/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg')).toBe('/opt/Watchroom/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
    expect(asarUnpackedPath('/home/dev/watchroom/node_modules/ffmpeg-static/ffmpeg')).toBe('/home/dev/watchroom/node_modules/ffmpeg-static/ffmpeg');
    expect(asarUnpackedPath('/srv/my.app.asar.d/ffmpeg')).toBe('/srv/my.app.asar.d/ffmpeg');
  });

  it("runs ffmpeg-static's unpacked binary when the package reports a path inside app.asar", () => {
    // The layout electron-builder makes: resources/app.asar is an archive file (nothing inside it exists on
    // disk for the OS), resources/app.asar.unpacked/ holds what asarUnpack lists.
    const resources = tmp();
    fs.writeFileSync(path.join(resources, 'app.asar'), 'archive');
    const unpackedDir = path.join(resources, 'app.asar.unpacked', 'node_modules', 'ffmpeg-static');
    fs.mkdirSync(unpackedDir, { recursive: true });
    fs.symlinkSync(systemFfmpeg(), path.join(unpackedDir, 'ffmpeg'));
    const insideArchive = path.join(resources, 'app.asar', 'node_modules', 'ffmpeg-static', 'ffmpeg');

    const found = resolveFfmpeg({ ffmpegStatic: () => insideArchive, env: {} });
    expect(found).toMatchObject({ origin: 'ffmpeg-static', path: path.join(unpackedDir, 'ffmpeg') });
    expect(found.version).toMatch(/^ffmpeg version /);
  });

  it('falls back to FFMPEG_PATH, then PATH, when ffmpeg-static is absent', () => {
    expect(ffmpegCandidates({ ffmpegStatic: () => null, env: { FFMPEG_PATH: '/x/ffmpeg' }, platform: 'linux' })).toEqual([
      { path: '/x/ffmpeg', origin: 'FFMPEG_PATH' },
      { path: 'ffmpeg', origin: 'PATH' },
    ]);
    expect(ffmpegCandidates({ ffmpegStatic: () => null, env: {}, platform: 'win32' })).toEqual([{ path: 'ffmpeg.exe', origin: 'PATH' }]);
    expect(resolveFfmpeg({ ffmpegStatic: () => null, env: { FFMPEG_PATH: '/nonexistent/ffmpeg' } })).toMatchObject({ origin: 'PATH' });
  });
});
