import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { bytesToMb, selectHealthError, selectHealthReport, sortComponents } from '../store/health/health.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useRoot } from '../store/store';

const dash = '—';
const num = (v: number | undefined, digits = 0) => (v === undefined ? dash : v.toFixed(digits));

/** Health of every component, updated by health:update pushes (health:get polled as a fallback). */
export function HealthPage() {
  const report = useRoot(selectHealthReport);
  const error = useRoot(selectHealthError);
  const tz = useRoot(selectTimeZone);
  return (
    <section className="page" aria-labelledby="health-title" data-testid="health-page">
      <div className="toolbar">
        <h1 id="health-title" className="page__title">{t.health.title}</h1>
        {report && (
          <p className="toolbar__meta">
            <span className={`badge badge--level-${report.level}`} data-testid="health-overall" data-level={report.level}>
              {t.health.overall(t.health.level[report.level] ?? report.level)}
            </span>{' '}
            <span className="muted">{t.health.updatedAt(formatTime(report.at, tz, 'time'))}</span>
          </p>
        )}
      </div>
      {error && <p className="banner banner--warn" role="alert">{t.errors.loadFailed(t.health.title.toLowerCase(), error)}</p>}
      {!report ? (
        <p className="empty">{t.health.empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="health-table">
            <thead>
              <tr>
                <th scope="col">{t.health.colComponent}</th>
                <th scope="col">{t.health.colLevel}</th>
                <th scope="col">{t.health.colDetail}</th>
                <th scope="col" className="num">{t.health.colFps}</th>
                <th scope="col" className="num">{t.health.colAge}</th>
                <th scope="col" className="num">{t.health.colReconnects}</th>
                <th scope="col" className="num">{t.health.colDropped}</th>
                <th scope="col" className="num">{t.healthLatency.colDecode}</th>
                <th scope="col" className="num">{t.healthLatency.colInference}</th>
                <th scope="col" className="num">{t.health.colCpu}</th>
                <th scope="col" className="num">{t.health.colRss}</th>
                <th scope="col" className="num">{t.health.colPid}</th>
              </tr>
            </thead>
            <tbody>
              {sortComponents(report.components).map((c) => {
                const m = c.metrics;
                return (
                  <tr key={c.id} data-testid="health-row" data-component-id={c.id} data-level={c.level}>
                    <th scope="row">
                      {c.name}
                      <span className="muted small"> {c.kind}</span>
                    </th>
                    <td>
                      <span className={`badge badge--level-${c.level}`}>{t.health.level[c.level] ?? c.level}</span>
                    </td>
                    <td className="wrap">{c.detail}</td>
                    <td className="num">{num(m.fps, 1)}</td>
                    <td className="num">{m.lastFrameAgeMs === undefined || m.lastFrameAgeMs === null ? dash : t.health.age(m.lastFrameAgeMs)}</td>
                    <td className="num">{num(m.reconnects)}</td>
                    <td className="num">{num(m.droppedFrames)}</td>
                    {/* ffmpeg's decode time per frame (often under a millisecond): one decimal, as reported. */}
                    <td className="num" data-metric="decode-ms">{num(m.decodeLatencyMs, 1)}</td>
                    <td className="num">{num(m.inferenceMs)}</td>
                    <td className="num">{num(m.cpuPercent, 1)}</td>
                    <td className="num">{bytesToMb(m.rssBytes)}</td>
                    <td className="num">{m.pid ?? dash}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
