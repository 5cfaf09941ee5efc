import { useMemo, useState } from 'react';
import { comparisonChart, heatmapChart, inOutChart, occupancyChart } from '../../../shared/domain/report-charts';
import type { ReportModel } from '../../../shared/domain/reports';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { deltaPercent } from '../store/reports/reports.selectors';
import { EChart } from './echart';

const KPIS = ['in', 'out', 'enter', 'exit', 'alarms'] as const;

/** Totals against the previous period, charts (shared definitions, dark theme), busiest hours and the totals table. */
export function DashboardView({ model }: { model: ReportModel }) {
  const [line, setLine] = useState('');
  const lines = model.totals.filter((x) => x.in || x.out);
  const hasZones = model.totals.some((x) => x.ruleKind === 'zone');
  const inOut = useMemo(() => inOutChart(model, 'dark', line || undefined), [model, line]);
  const occupancy = useMemo(() => occupancyChart(model, 'dark'), [model]);
  const heat = useMemo(() => heatmapChart(model, 'dark'), [model]);
  const compare = useMemo(() => comparisonChart(model, 'dark'), [model]);
  const zone = model.period.timeZone;
  const hour = (iso: string) => formatTime(iso, zone, 'dayHour');
  return (
    <div className="dashboard" data-testid="dashboard" data-period-from={model.period.fromIso} data-generated-at={model.generatedAt} data-hash={model.dataSha256}>
      <div className="kpis">
        {KPIS.map((k) => (
          <div key={k} className="kpi" data-testid={`kpi-${k}`} data-value={model.grand[k]}>
            <div className="kpi__label">{t.reports.kpi[k]}</div>
            <div className="kpi__value">{model.grand[k]}</div>
            <div className="kpi__delta muted small">{t.reports.vsPrevious(deltaPercent(model.grand[k], model.grandPrevious[k]), model.grandPrevious[k])}</div>
          </div>
        ))}
      </div>
      {!model.totals.length ? (
        <p className="empty" data-testid="report-empty">
          {t.reports.noCounts}
        </p>
      ) : (
        <>
          <div className="charts">
            {lines.length > 0 && (
              <section className="chart-card">
                <header className="chart-card__head">
                  <h2>{t.reports.chartInOut}</h2>
                  <select value={line} onChange={(e) => setLine(e.target.value)} aria-label={t.reports.chartInOut}>
                    <option value="">{t.reports.allLines}</option>
                    {lines.map((x) => (
                      <option key={`${x.cameraId}/${x.ruleId}`} value={`${x.cameraId}/${x.ruleId}`}>
                        {x.cameraName} · {x.ruleId}
                      </option>
                    ))}
                  </select>
                </header>
                <EChart option={inOut} testId="chart-inout" label={t.reports.chartInOut} />
              </section>
            )}
            {hasZones && (
              <section className="chart-card">
                <header className="chart-card__head">
                  <h2>{t.reports.chartOccupancy}</h2>
                </header>
                <EChart option={occupancy} testId="chart-occupancy" label={t.reports.chartOccupancy} />
              </section>
            )}
            <section className="chart-card">
              <header className="chart-card__head">
                <h2>{t.reports.chartHeatmap}</h2>
              </header>
              <EChart option={heat} testId="chart-heatmap" label={t.reports.chartHeatmap} />
            </section>
            <section className="chart-card">
              <header className="chart-card__head">
                <h2>{t.reports.chartCompare}</h2>
              </header>
              <EChart option={compare} testId="chart-compare" label={t.reports.chartCompare} />
            </section>
          </div>
          <div className="report-tables">
            <section>
              <h2 className="section-title">{t.reports.totals}</h2>
              <div className="table-wrap">
                <table className="table" data-testid="totals-table">
                  <thead>
                    <tr>
                      <th scope="col">{t.reports.colCamera}</th>
                      <th scope="col">{t.reports.colRule}</th>
                      <th scope="col" className="num">{t.reports.colIn}</th>
                      <th scope="col" className="num">{t.reports.colOut}</th>
                      <th scope="col" className="num">{t.reports.colEnter}</th>
                      <th scope="col" className="num">{t.reports.colExit}</th>
                      <th scope="col" className="num">{t.reports.colAlarms}</th>
                      <th scope="col" className="num">{t.reports.colOccupancy}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {model.totals.map((x) => (
                      <tr key={`${x.cameraId}/${x.ruleId}`} data-testid="totals-row" data-rule={x.ruleId}>
                        <th scope="row">{x.cameraName}</th>
                        <td>{x.ruleId}</td>
                        <td className="num">{x.in}</td>
                        <td className="num">{x.out}</td>
                        <td className="num">{x.enter}</td>
                        <td className="num">{x.exit}</td>
                        <td className="num">{x.alarms}</td>
                        <td className="num">{x.ruleKind === 'zone' ? `${x.occupancy} / ${x.peakOccupancy}` : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            <section>
              <h2 className="section-title">{t.reports.busiest}</h2>
              <table className="table" data-testid="busiest-table">
                <thead>
                  <tr>
                    <th scope="col">{t.reports.colHour}</th>
                    <th scope="col" className="num">{t.reports.colTraffic}</th>
                  </tr>
                </thead>
                <tbody>
                  {model.busiest.map((b) => (
                    <tr key={b.hourIso}>
                      <td>{hour(b.hourIso)}</td>
                      <td className="num">{b.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
