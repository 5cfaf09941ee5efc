import { useEffect, useMemo, useRef, useState } from 'react';
import type { CameraView } from '../../../shared/domain/camera';
import type { EvidenceTimeline, PlaybackClipView } from '../../../shared/ipc/evidence.contract';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { selectCan } from '../store/auth/auth.selectors';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { playbackUrl } from '../store/playback/playback.actions';
import { useActions, useRoot } from '../store/store';
import { EvidenceExportPanel } from './evidence-export-panel';
import { boxesAt, type PlaybackTrack } from '../../../shared/domain/track-at';
import { classColour } from '../live/class-colour';
import { boxToFit, fitContain } from '../live/tile-fit';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const;
/** The timeline shows this much around the opened moment. */
const WINDOW_MS = 2 * 60_000;
/** How often the open timeline is read again. */
const TIMELINE_REFRESH_MS = 5_000;
const FRAME_S = 1 / 25;
/** A `datetime-local` value (local time, seconds) for epoch ms. */
const localInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);

/** Followers keep within this of the leader's wall time (about half a frame at 25 fps). */
const SYNC_MS = 20;
/** Further apart than this, a follower jumps to the leader's time instead of catching up by speed. */
const RESEEK_MS = 1000;

/** The leader's wall time now (its video's time from its clip's start), or null while it has none. */
type LeaderClock = { current: (() => number | null) | null };

/** A seek request: a wall time, numbered so the same time twice still seeks. */
interface Seek {
  ms: number;
  n: number;
}

/**
 * Playback: cameras side by side on one time, a timeline per camera (recorded parts, gaps, events, alarms),
 * play/pause, frame steps, 0.25×–8×, ±10 s. The first camera's video drives the time; the others follow its
 * video's wall time directly (read every animation frame: a little faster or slower to catch up, a jump when far off).
 * Clips come from the engine (masks burned in as in the live view) and are fetched from the page's own origin.
 */
export function PlaybackPage() {
  const target = useRoot((s) => s.playback.target);
  const cameras = useRoot(selectCameras);
  const tz = useRoot(selectTimeZone);
  const canExport = useRoot(selectCan('evidence:export'));
  const { loadTimeline } = useActions();
  const [cameraIds, setCameraIds] = useState<string[]>(target?.cameraIds ?? []);
  const [origin, setOrigin] = useState<number | null>(target?.atMs ?? null);
  const [seek, setSeek] = useState<Seek | null>(target ? { ms: target.atMs, n: 0 } : null);
  const [now, setNow] = useState<number | null>(target?.atMs ?? null);
  const [playing, setPlaying] = useState(true);
  const [rate, setRate] = useState(1);
  const [timeline, setTimeline] = useState<EvidenceTimeline | null>(null);
  const [draftAt, setDraftAt] = useState('');
  const leaderClock = useRef<(() => number | null) | null>(null);

  useEffect(() => {
    if (!target) return;
    setCameraIds(target.cameraIds);
    setOrigin(target.atMs);
    setSeek({ ms: target.atMs, n: target.key });
    setNow(target.atMs);
    setPlaying(true);
    setDraftAt(localInput(target.atMs));
  }, [target]);

  // The timeline is read again every few seconds: recording goes on, and events and alarms keep coming.
  useEffect(() => {
    if (origin === null || !cameraIds.length) return;
    let stop = false;
    const load = () =>
      loadTimeline(cameraIds, origin - WINDOW_MS, origin + WINDOW_MS)
        .then((tl) => !stop && setTimeline(tl))
        .catch(() => undefined);
    setTimeline(null);
    void load();
    const every = setInterval(() => void load(), TIMELINE_REFRESH_MS);
    return () => {
      stop = true;
      clearInterval(every);
    };
  }, [cameraIds, origin, loadTimeline]);

  const jump = (ms: number) => {
    setSeek((s) => ({ ms, n: (s?.n ?? 0) + 1 }));
    setNow(ms);
  };
  const step = (frames: number) => {
    setPlaying(false);
    if (now !== null) jump(now + frames * FRAME_S * 1000);
  };
  const show = () => {
    const ms = Date.parse(draftAt);
    if (!Number.isFinite(ms) || !cameraIds.length) return;
    setOrigin(ms);
    jump(ms);
    setPlaying(true);
  };
  const byId = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);

  return (
    <section className="page page--playback" aria-labelledby="playback-title" data-testid="playback-page">
      <header className="toolbar">
        <h1 id="playback-title">{t.playback.title}</h1>
        <span className="toolbar__meta mono" data-testid="playback-time" data-ms={now ?? ''}>
          {now !== null ? formatTime(Math.round(now), tz) : ''}
        </span>
      </header>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          show();
        }}
      >
        <fieldset className="playback-cameras">
          <legend>{t.playback.cameras}</legend>
          {cameras.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={cameraIds.includes(c.id)} onChange={(e) => setCameraIds((ids) => (e.target.checked ? [...ids, c.id].slice(0, 9) : ids.filter((x) => x !== c.id)))} data-testid={`playback-camera-${c.name}`} />
              {c.name}
            </label>
          ))}
        </fieldset>
        <label>
          {t.playback.at}
          <input type="datetime-local" step="1" value={draftAt} onChange={(e) => setDraftAt(e.target.value)} data-testid="playback-at" />
        </label>
        <button type="submit" className="btn" data-testid="playback-show">
          {t.playback.open}
        </button>
      </form>
      {seek === null || !cameraIds.length ? (
        <p className="empty">{t.playback.choose}</p>
      ) : (
        <>
          <div className="playback-controls" role="toolbar" aria-label={t.playback.title}>
            <button type="button" className="btn" onClick={() => now !== null && jump(now - 10_000)} data-testid="playback-back10">
              {t.playback.back10}
            </button>
            <button type="button" className="btn" onClick={() => step(-1)} aria-label={t.playback.stepBack} title={t.playback.stepBack} data-testid="playback-step-back">
              ◀︎|
            </button>
            <button type="button" className="btn btn--primary" onClick={() => setPlaying((p) => !p)} data-testid="playback-toggle" data-playing={playing ? 'true' : 'false'}>
              {playing ? t.playback.pause : t.playback.play}
            </button>
            <button type="button" className="btn" onClick={() => step(1)} aria-label={t.playback.stepForward} title={t.playback.stepForward} data-testid="playback-step-forward">
              |▶︎
            </button>
            <button type="button" className="btn" onClick={() => now !== null && jump(now + 10_000)} data-testid="playback-forward10">
              {t.playback.forward10}
            </button>
            <label>
              {t.playback.speed}{' '}
              <select value={rate} onChange={(e) => setRate(Number(e.target.value))} data-testid="playback-speed">
                {SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className={`playback-grid playback-grid--${Math.min(cameraIds.length, 3)}`}>
            {cameraIds.map((id, i) => (
              <PlaybackTile key={id} camera={byId.get(id) ?? null} cameraId={id} seek={seek} playing={playing} rate={rate} leader={i === 0} clock={leaderClock} onTime={i === 0 ? setNow : undefined} />
            ))}
          </div>
          {origin !== null &&
            cameraIds.map((id) => (
              <Timeline key={id} name={byId.get(id)?.name ?? id} cameraId={id} from={origin - WINDOW_MS} to={origin + WINDOW_MS} timeline={timeline} now={now} onSeek={jump} />
            ))}
          {origin !== null && (
            <div className="playback-scale muted small mono" aria-hidden="true">
              <span>{formatTime(origin - WINDOW_MS, tz, 'time')}</span>
              <span>{formatTime(origin, tz, 'time')}</span>
              <span>{formatTime(origin + WINDOW_MS, tz, 'time')}</span>
            </div>
          )}
          <p className="muted small">{t.playback.legend}</p>
          {canExport && now !== null && <EvidenceExportPanel cameraIds={cameraIds} atMs={now} />}
        </>
      )}
    </section>
  );
}

/** One camera's video on the shared time. The leader publishes its clock; the others keep to it. */
function PlaybackTile({ camera, cameraId, seek, playing, rate, leader, clock, onTime }: { camera: CameraView | null; cameraId: string; seek: Seek; playing: boolean; rate: number; leader: boolean; clock: LeaderClock; onTime?: (ms: number) => void }) {
  const { playClip, loadTracks } = useActions();
  const video = useRef<HTMLVideoElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [tracks, setTracks] = useState<PlaybackTrack[]>([]);
  const [clip, setClip] = useState<PlaybackClipView | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'none'>('loading');
  const wanted = useRef<number>(seek.ms);

  // A seek inside the clip moves the video; outside it asks for the clip holding that time.
  useEffect(() => {
    wanted.current = seek.ms;
    if (clip && seek.ms >= clip.clipStartMs && seek.ms < clip.clipEndMs) {
      if (video.current) video.current.currentTime = (seek.ms - clip.clipStartMs) / 1000;
      return;
    }
    let stop = false;
    setState('loading');
    playClip(cameraId, seek.ms)
      .then((c) => {
        if (stop) return;
        setClip(c);
        setState('ready');
      })
      .catch(() => !stop && setState('none'));
    return () => {
      stop = true;
    };
  }, [seek, cameraId, playClip]);

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.playbackRate = rate;
    if (playing) void v.play().catch(() => undefined);
    else v.pause();
  }, [playing, rate, clip]);

  // The boxes stored for the clip's time, drawn over the video on every frame (where the track store has them).
  useEffect(() => {
    setTracks([]);
    if (!clip) return;
    let stop = false;
    loadTracks(cameraId, clip.clipStartMs, clip.clipEndMs)
      .then((t) => !stop && setTracks(t))
      .catch(() => undefined);
    return () => {
      stop = true;
    };
  }, [clip, cameraId, loadTracks]);
  useEffect(() => {
    if (!clip || !tracks.length) return;
    let raf = 0;
    const draw = () => {
      raf = requestAnimationFrame(draw);
      const v = video.current;
      const c = overlay.current;
      if (!v || !c) return;
      paintTrackBoxes(c, v, boxesAt(tracks, clip.clipStartMs + v.currentTime * 1000));
    };
    draw();
    return () => cancelAnimationFrame(raf);
  }, [clip, tracks]);

  // The leader publishes its video's wall time; followers read it every frame and keep to it: paused, they stand on
  // the same moment; playing, they run a little faster or slower until they are within SYNC_MS, or jump when far off.
  useEffect(() => {
    if (!leader || !clip) return;
    clock.current = () => (video.current && video.current.readyState >= 1 ? clip.clipStartMs + video.current.currentTime * 1000 : null);
    return () => {
      clock.current = null;
    };
  }, [leader, clip, clock]);
  useEffect(() => {
    if (leader || !clip) return;
    let raf = 0;
    const follow = () => {
      raf = requestAnimationFrame(follow);
      const v = video.current;
      const lead = clock.current?.() ?? null;
      if (!v || lead === null || v.readyState < 1 || v.seeking) return;
      const want = (lead - clip.clipStartMs) / 1000;
      if (want < 0 || want > v.duration) return;
      const drift = clip.clipStartMs + v.currentTime * 1000 - lead;
      if (!playing || Math.abs(drift) > RESEEK_MS * Math.max(1, rate)) {
        v.playbackRate = rate;
        if (Math.abs(drift) > SYNC_MS) v.currentTime = want;
        return;
      }
      v.playbackRate = Math.abs(drift) > SYNC_MS ? rate * (1 + Math.max(-0.25, Math.min(0.25, -drift / 400))) : rate;
    };
    follow();
    return () => cancelAnimationFrame(raf);
  }, [leader, clip, clock, playing, rate]);

  const name = camera?.name ?? cameraId;
  return (
    <figure className="playback-tile" data-testid="playback-tile" data-camera={name} data-state={state} data-clip-start={clip?.clipStartMs ?? ''}>
      <figcaption>
        {name}
        {clip?.masked && <span className="badge badge--idle small"> {t.playback.masked}</span>}
      </figcaption>
      {clip && state === 'ready' && (
        <video
          ref={video}
          src={playbackUrl(clip.ticket)}
          muted
          playsInline
          preload="auto"
          data-testid="playback-video"
          onLoadedMetadata={(e) => {
            const v = e.currentTarget;
            v.currentTime = Math.max(0, (wanted.current - clip.clipStartMs) / 1000);
            v.playbackRate = rate;
            if (playing) void v.play().catch(() => undefined);
          }}
          onTimeUpdate={(e) => {
            const ms = clip.clipStartMs + e.currentTarget.currentTime * 1000;
            e.currentTarget.dataset.wallMs = String(Math.round(ms));
            onTime?.(ms);
          }}
        />
      )}
      {clip && state === 'ready' && tracks.length > 0 && <canvas ref={overlay} className="playback-tile__boxes" data-testid="playback-boxes" data-tracks={tracks.length} />}
      {state === 'loading' && <div className="snapshot snapshot--loading" aria-label={t.playback.loading} />}
      {state === 'none' && <p className="muted" data-testid="playback-none">{t.playback.none}</p>}
      {clip?.transcoded && <p className="muted small" data-testid="playback-transcoded">{t.playback.transcoded}</p>}
    </figure>
  );
}

/** Draws the boxes over the video's picture (letterboxed inside the element), in the live view's class colours. */
function paintTrackBoxes(canvas: HTMLCanvasElement, v: HTMLVideoElement, boxes: ReturnType<typeof boxesAt>): void {
  const w = v.clientWidth;
  const h = v.clientHeight;
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.style.left = `${v.offsetLeft}px`;
  canvas.style.top = `${v.offsetTop}px`;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, w, h);
  const fit = fitContain(v.videoWidth, v.videoHeight, w, h);
  g.lineWidth = 2;
  g.font = '12px sans-serif';
  for (const b of boxes) {
    const r = boxToFit(b.box, fit);
    g.strokeStyle = g.fillStyle = classColour(b.cls);
    g.strokeRect(r.x, r.y, r.width, r.height);
    g.fillText(`${b.cls} #${b.trackId}`, r.x + 2, Math.max(12, r.y - 3));
  }
}

/** Recorded parts (green), gaps, events (blue) and alarms (red) of one camera; a click seeks there. */
function Timeline({ name, cameraId, from, to, timeline, now, onSeek }: { name: string; cameraId: string; from: number; to: number; timeline: EvidenceTimeline | null; now: number | null; onSeek: (ms: number) => void }) {
  const pct = (ms: number) => `${Math.min(100, Math.max(0, ((ms - from) / (to - from)) * 100))}%`;
  const ranges = timeline?.cameras.find((c) => c.cameraId === cameraId)?.ranges ?? [];
  const events = timeline?.events.filter((e) => e.cameraId === cameraId) ?? [];
  const alarms = timeline?.alarms.filter((a) => a.cameraId === cameraId) ?? [];
  return (
    <div
      className="playback-timeline"
      role="slider"
      aria-label={t.playback.timeline(name)}
      aria-valuemin={from}
      aria-valuemax={to}
      aria-valuenow={now ?? from}
      tabIndex={0}
      data-testid="playback-timeline"
      data-camera={name}
      onClick={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        onSeek(from + ((e.clientX - r.left) / r.width) * (to - from));
      }}
      onKeyDown={(e) => {
        if (now === null) return;
        if (e.key === 'ArrowLeft') onSeek(now - 10_000);
        if (e.key === 'ArrowRight') onSeek(now + 10_000);
      }}
    >
      <span className="playback-timeline__name">{name}</span>
      {ranges.map((r) => (
        <span key={r.startMs} className="playback-timeline__range" style={{ left: pct(r.startMs), width: `calc(${pct(r.endMs)} - ${pct(r.startMs)})` }} data-testid="timeline-range" data-from={r.startMs} data-to={r.endMs} />
      ))}
      {events.map((e) => (
        <span key={e.id} className="playback-timeline__event" style={{ left: pct(e.atMs) }} title={e.type} data-testid="timeline-event" data-at={e.atMs} />
      ))}
      {alarms.map((a) => (
        <span key={a.id} className="playback-timeline__alarm" style={{ left: pct(a.atMs) }} title={a.type} data-testid="timeline-alarm" data-at={a.atMs} />
      ))}
      {now !== null && <span className="playback-timeline__cursor" style={{ left: pct(now) }} />}
    </div>
  );
}

/** The alarm detail's clip: the recording from the pre-roll before the alarm, playing in place of the snapshot. */
export function AlarmClip({ cameraId, openedMs }: { cameraId: string; openedMs: number }) {
  const { playClip, openPlayback } = useActions();
  const [clip, setClip] = useState<PlaybackClipView | null>(null);
  const [failed, setFailed] = useState(false);
  const start = openedMs - 10_000;
  useEffect(() => {
    let stop = false;
    setClip(null);
    setFailed(false);
    playClip(cameraId, start)
      .then((c) => !stop && setClip(c))
      .catch(() => !stop && setFailed(true));
    return () => {
      stop = true;
    };
  }, [cameraId, start, playClip]);
  if (failed) return null;
  return (
    <figure className="alarm-clip">
      <figcaption className="muted small">{t.playback.clip}</figcaption>
      {clip ? (
        <video
          src={playbackUrl(clip.ticket)}
          muted
          playsInline
          controls
          autoPlay
          data-testid="alarm-clip"
          onLoadedMetadata={(e) => {
            e.currentTarget.currentTime = Math.max(0, (start - clip.clipStartMs) / 1000);
          }}
        />
      ) : (
        <div className="snapshot snapshot--loading" aria-label={t.playback.loading} />
      )}
      <button type="button" className="btn" onClick={() => openPlayback([cameraId], openedMs)} data-testid="alarm-play-back">
        {t.playback.playBack}
      </button>
    </figure>
  );
}
