import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from './app-protocol';

describe('app:// playback clips', () => {
  it('serves a ticket’s clip whole and by byte range; unknown tickets and ranges outside are refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-proto-play-'));
    const clip = path.join(dir, 'clip.mp4');
    fs.writeFileSync(clip, Buffer.from(Array.from({ length: 100 }, (_, i) => i)));
    const ticket = 'T'.repeat(32);
    const handle = createAppProtocolHandler(dir, (t) => (t === ticket ? clip : null));
    const url = `app://watchroom/playback/${ticket}.mp4`;

    const whole = await handle(new Request(url));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(new Uint8Array(await whole.arrayBuffer()).length).toBe(100);

    const part = await handle(new Request(url, { headers: { Range: 'bytes=10-19' } }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/100');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

    const tail = await handle(new Request(url, { headers: { Range: 'bytes=95-' } }));
    expect([...new Uint8Array(await tail.arrayBuffer())]).toEqual([95, 96, 97, 98, 99]);

    expect((await handle(new Request(url, { headers: { Range: 'bytes=200-' } }))).status).toBe(416);
    expect((await handle(new Request(`app://watchroom/playback/${'x'.repeat(32)}.mp4`))).status).toBe(404);
    // Without the engine's resolver (before it started) there is nothing to play.
    expect((await createAppProtocolHandler(dir)(new Request(url))).status).toBe(404);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
