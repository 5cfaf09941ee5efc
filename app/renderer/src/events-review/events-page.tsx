import { useVirtualizer } from '@tanstack/react-virtual';
import { prependLive, type LiveRowFilter } from './live-rows';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LedgerRowView, ReviewRow } from '../../../shared/ipc/events.contract';
import { SnapshotImage } from '../alarms/snapshot-image';
import { SystemAlarmFigures } from '../alarms/system-alarm-figures';
import { alarmKind, cameraName, systemPlace } from '../alarms/alarm-text';
import { t } from '../i18n/en';
import { formatTime, parseLocalInput } from '../i18n/format-time';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { useActions, useRoot } from '../store/store';
import { AmendPanel } from './amend-panel';
import { directionText, rowNote } from './amend-text';
import { classOptions, ruleOptions } from './filter-options';
import { ruleNameLookup, selectRulesByCamera } from '../alarms/rule-names';
import { usePermission } from '../auth/permission';

const TYPES = ['line.cross', 'zone.enter', 'zone.exit', 'zone.loiter', 'zone.intrusion', 'zone.overcrowd', 'alarm', 'health', 'system'] as const;
type EventType = (typeof TYPES)[number];
const PAGE = 1000;
const ROW_PX = 34;
/** A voided or corrected ledger event has a second line: who amended it, why, and what changed. */
const NOTE_PX = 20;
const BUCKETS = 60;

/** Time of a row, epoch ms (ledger: frame time; alarm step: when it happened). */
const rowMs = (r: ReviewRow): number => (r.kind === 'ledger' ? r.frameMs : r.atMs);
const rowKey = (r: ReviewRow): string => (r.kind === 'ledger' ? r.id : r.key);
const isAmended = (r: ReviewRow | undefined): boolean => r?.kind === 'ledger' && (r.voided || r.corrected);
const rowPx = (r: ReviewRow | undefined): number => ROW_PX + (isAmended(r) ? NOTE_PX : 0);
/** Row classes: selected, alarm step, voided or corrected ledger event. */
const rowClass = (r: ReviewRow | undefined, selected: ReviewRow | null): string =>
  [
    'events-row',
    r && selected && rowKey(selected) === rowKey(r) ? 'events-row--selected' : '',
    r?.kind === 'alarm' ? 'events-row--alarm' : '',
    r?.kind === 'ledger' && r.voided ? 'events-row--voided' : '',
    r?.kind === 'ledger' && !r.voided && r.corrected ? 'events-row--corrected' : '',
    isAmended(r) ? 'events-row--amended' : '',
  ]
    .filter(Boolean)
    .join(' ');
const typeLabel = (ty: string): string => (ty === 'alarm' ? t.events.typeAlarm : ty === 'health' ? t.events.typeHealth : ty === 'system' ? t.events.typeSystem : (t.alarms.type[ty] ?? ty));

interface Filter {
  cameraId: string;
  ruleId: string;
  type: EventType | '';
  cls: string;
  from: string;
  to: string;
}
const NO_FILTER: Filter = { cameraId: '', ruleId: '', type: '', cls: '', from: '', to: '' };

/** Events per time slot over the loaded rows, as bars (a light timeline). */
function Timeline({ rows }: { rows: readonly ReviewRow[] }) {
  const bars = useMemo(() => {
    if (rows.length < 2) return [];
    const hi = rowMs(rows[0]!);
    const lo = rowMs(rows[rows.length - 1]!);
    const span = Math.max(1, hi - lo);
    const counts = new Array<number>(BUCKETS).fill(0);
    for (const r of rows) counts[Math.min(BUCKETS - 1, Math.floor(((rowMs(r) - lo) / span) * BUCKETS))]!++;
    const max = Math.max(...counts);
    return counts.map((c) => c / max);
  }, [rows]);
  return (
    <div className="timeline" role="img" aria-label={t.events.timeline} title={t.events.timeline} data-testid="events-timeline">
      {bars.map((h, i) => (
        <span key={i} className="timeline__bar" style={{ height: `${Math.max(2, h * 100)}%` }} />
      ))}
    </div>
  );
}

/**
 * Events review: filters (camera, rule, type, object class, time range), a timeline, and a virtualised list that
 * pages from SQLite by cursor as it scrolls, so 100 000 rows stay smooth (only the visible rows are in the DOM).
 * The object-class filter applies to the loaded pages (the ledger query has no class filter).
 */
export function EventsPage() {
  const cameras = useRoot(selectCameras);
  const tz = useRoot(selectTimeZone);
  const { reviewEvents, selectCamera, selectAlarm, navigate, ensureRules, openPlayback, onNewEvent } = useActions();
  const canPlayBack = usePermission('evidence:play').allowed;
  const rulesByCamera = useRoot(selectRulesByCamera);
  // Rule names for the rule column and the rule picker.
  useEffect(() => cameras.forEach((c) => ensureRules(c.id)), [cameras, ensureRules]);
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [rows, setRows] = useState<ReviewRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReviewRow | null>(null);
  const generation = useRef(0);
  const scrollRef = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(
    async (reset: boolean) => {
      const gen = reset ? ++generation.current : generation.current;
      setLoading(true);
      try {
        const from = parseLocalInput(filter.from, tz);
        const to = parseLocalInput(filter.to, tz);
        const page = await reviewEvents({
          limit: PAGE,
          ...(filter.cameraId ? { cameraId: filter.cameraId } : {}),
          ...(filter.ruleId.trim() ? { ruleId: filter.ruleId.trim() } : {}),
          ...(filter.type ? { types: [filter.type] } : {}),
          ...(from !== null ? { from } : {}),
          ...(to !== null ? { to } : {}),
          ...(!reset && cursor ? { cursor } : {}),
        });
        if (gen !== generation.current) return;
        const cls = filter.cls.trim().toLowerCase();
        // Alarm steps have no object class: a class filter keeps ledger events only.
        const got = cls ? page.rows.filter((r) => r.kind === 'ledger' && r.cls.toLowerCase() === cls) : page.rows;
        setRows((prev) => (reset ? got : prev.concat(got)));
        setCursor(page.nextCursor);
        setDone(page.nextCursor === null);
        setError(null);
      } catch (e) {
        if (gen === generation.current) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [filter, cursor, reviewEvents, tz],
  );

  useEffect(() => {
    setRows([]);
    setCursor(null);
    setDone(false);
    setSelected(null);
    void loadMore(true);
    // Only a new filter restarts paging.
  }, [filter]);

  const virtualizer = useVirtualizer({ count: rows.length + (done ? 0 : 1), getScrollElement: () => scrollRef.current, estimateSize: (i) => rowPx(rows[i]), overscan: 12 });
  // Row heights depend on the rows (amended ones have a note line): recompute the offsets when rows change.
  useEffect(() => virtualizer.measure(), [rows, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 1 && !done && !loading && rows.length > 0) void loadMore(false);
  }, [last, rows.length, done, loading, loadMore]);

  // The list updates itself: new ledger events pushed by the host go on top when they match the filter (batched,
  // so a busy camera does not re-render the list for every crossing).
  useEffect(() => {
    const live: LiveRowFilter = { cameraId: filter.cameraId, ruleId: filter.ruleId, type: filter.type, cls: filter.cls, fromMs: parseLocalInput(filter.from, tz), toMs: parseLocalInput(filter.to, tz) };
    let pending: LedgerRowView[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = onNewEvent((row) => {
      pending.push(row);
      timer ??= setTimeout(() => {
        const batch = pending;
        pending = [];
        timer = null;
        setRows((prev) => prependLive(prev, batch, live));
      }, 300);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [filter, tz, onNewEvent]);

  /** A voided or corrected event replaces its row in the loaded pages (and the selection). */
  const amended = (next: LedgerRowView) => {
    const row: ReviewRow = { ...next, kind: 'ledger' };
    setRows((prev) => prev.map((x) => (x.kind === 'ledger' && x.id === next.id ? row : x)));
    setSelected(row);
  };

  /** Ledger event: the camera's live view; alarm step: the alarm in the Alarms page. */
  const jump = (r: ReviewRow) => {
    if (r.kind === 'alarm') {
      void selectAlarm(r.alarmId);
      navigate('alarms');
      return;
    }
    selectCamera(r.cameraId);
    navigate('live');
  };

  return (
    <section className="page page--events" aria-labelledby="events-title" data-testid="events-page">
      <div className="toolbar">
        <h1 id="events-title" className="page__title">{t.events.title}</h1>
        <p className="toolbar__meta muted" data-testid="events-count" data-count={rows.length} data-done={done ? 'true' : 'false'}>
          {loading && rows.length === 0 ? t.events.loading : t.events.loaded(rows.length, !done)}
        </p>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
      >
        <label className="field">
          <span>{t.events.camera}</span>
          <select value={draft.cameraId} onChange={(e) => setDraft({ ...draft, cameraId: e.target.value })} data-testid="filter-camera">
            <option value="">{t.events.any}</option>
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.events.rule}</span>
          <select value={draft.ruleId} onChange={(e) => setDraft({ ...draft, ruleId: e.target.value })} data-testid="filter-rule">
            <option value="">{t.events.any}</option>
            {ruleOptions(rulesByCamera, cameras, draft.cameraId, draft.ruleId).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.events.type}</span>
          <select value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value as EventType | '' })} data-testid="filter-type">
            <option value="">{t.events.any}</option>
            {TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {typeLabel(ty)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.events.cls}</span>
          <select value={draft.cls} onChange={(e) => setDraft({ ...draft, cls: e.target.value })} data-testid="filter-class">
            <option value="">{t.events.any}</option>
            {classOptions(rulesByCamera, rows, draft.cls).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.events.from}</span>
          <input type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} data-testid="filter-from" />
        </label>
        <label className="field">
          <span>{t.events.to}</span>
          <input type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} data-testid="filter-to" />
        </label>
        <button type="submit" className="btn btn--primary" data-testid="filter-apply">
          {t.events.apply}
        </button>
      </form>
      {error && (
        <p className="banner banner--bad" role="alert">
          {error}
        </p>
      )}
      <Timeline rows={rows} />
      <div className="events-layout">
        <div className="events-list" ref={scrollRef} data-testid="events-scroll" role="table" aria-rowcount={rows.length}>
          <div className="events-list__head" role="row">
            <span role="columnheader">{t.events.colTime}</span>
            <span role="columnheader">{t.events.colCamera}</span>
            <span role="columnheader">{t.events.colRule}</span>
            <span role="columnheader">{t.events.colType}</span>
            <span role="columnheader">{t.events.colClass}</span>
            <span role="columnheader">{t.events.colDetail}</span>
          </div>
          {rows.length === 0 && done ? (
            <p className="empty">{t.events.empty}</p>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((v) => {
                const r = rows[v.index];
                return (
                  <div
                    key={v.key}
                    className={rowClass(r, selected)}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowPx(r), transform: `translateY(${v.start}px)` }}
                    role="row"
                    data-testid={r ? 'event-row' : 'event-row-loading'}
                    data-index={v.index}
                    data-event-id={r ? rowKey(r) : undefined}
                    data-kind={r?.kind}
                    data-voided={r?.kind === 'ledger' && r.voided ? 'true' : undefined}
                    data-corrected={r?.kind === 'ledger' && r.corrected ? 'true' : undefined}
                    tabIndex={r ? 0 : -1}
                    onClick={() => r && setSelected(r)}
                    onDoubleClick={() => r && jump(r)}
                    onKeyDown={(e) => {
                      if (r && e.key === 'Enter') jump(r);
                    }}
                  >
                    {r?.kind === 'alarm' ? (
                      <>
                        <span role="cell" className="mono">{formatTime(r.atMs, tz)}</span>
                        <span role="cell" data-testid="event-row-place">{r.cameraId === null ? systemPlace(r.detail) : cameraName(cameras, r.cameraId)}</span>
                        <span role="cell">{r.ruleId ? (ruleNameLookup(rulesByCamera, r.cameraId)(r.ruleId) ?? r.ruleId) : ''}</span>
                        <span role="cell">
                          {typeLabel(r.type)}: {r.condition ? alarmKind({ condition: r.condition, type: r.alarmType }) : typeLabel(r.alarmType)}
                        </span>
                        <span role="cell">{t.alarms.priority(r.priority)}</span>
                        <span role="cell" className="muted">
                          {t.events.alarmStep(t.alarms.actions[r.action] ?? r.action, t.alarms.status[r.toStatus] ?? r.toStatus, r.by)}
                          {r.outcome ? ` · ${t.alarms.outcomes[r.outcome] ?? r.outcome}` : ''}
                        </span>
                      </>
                    ) : r ? (
                      <>
                        <span role="cell" className="mono">{formatTime(r.frameMs, tz)}</span>
                        <span role="cell">{cameraName(cameras, r.cameraId)}</span>
                        <span role="cell">{ruleNameLookup(rulesByCamera, r.cameraId)(r.ruleId) ?? r.ruleId}</span>
                        <span role="cell">{t.alarms.type[r.type] ?? r.type}</span>
                        <span role="cell">{r.cls}</span>
                        <span role="cell" className="muted">
                          {directionText(r)}
                        </span>
                        {isAmended(r) && (
                          <span role="cell" className="events-row__note" title={rowNote(r)} data-testid="event-row-note">
                            {rowNote(r)}
                          </span>
                        )}
                      </>
                    ) : (
                      <span role="cell" className="muted">{t.events.loading}</span>
                    )}
                  </div>
                );
              })}
            </div>
          )}
        </div>
        <aside className="side-card events-preview" aria-label={t.events.preview}>
          <h2>{t.events.preview}</h2>
          {selected ? (
            <>
              {selected.kind === 'alarm' && selected.detail ? (
                <SystemAlarmFigures detail={selected.detail} testId="event-system-figures" />
              ) : (
                <SnapshotImage refPath={selected.snapshot} alt={t.events.preview} empty={t.events.noSnapshot} testId="event-snapshot" />
              )}
              <button type="button" className="btn btn--primary" onClick={() => jump(selected)} data-testid="event-jump">
                {selected.kind === 'alarm' ? t.events.openAlarm : t.events.jump}
              </button>
              {selected.cameraId !== null && canPlayBack && (
                <button type="button" className="btn" onClick={() => openPlayback([selected.cameraId!], rowMs(selected))} data-testid="event-play-back">
                  {t.playback.playBack}
                </button>
              )}
              {selected.kind === 'ledger' && <AmendPanel key={selected.id} row={selected} onAmended={amended} />}
            </>
          ) : (
            <p className="muted">{t.events.noPreview}</p>
          )}
        </aside>
      </div>
    </section>
  );
}
