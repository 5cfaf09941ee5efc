import fs from 'node:fs';
import type { Writable } from 'node:stream';
import * as echarts from 'echarts';
import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { comparisonChart, heatmapChart, inOutChart, occupancyChart } from '../../shared/domain/report-charts';
import type { ReportModel } from '../../shared/domain/reports';
import { ExportCancelled, type WriteControl } from './csv-writer';
import { formatDate } from './time-buckets';

/** What the PDF needs besides the model. */
export interface PdfOptions extends WriteControl {
  /** Resolves a snapshot reference to a file (SnapshotStore.resolve); snapshots are left out without it. */
  resolveSnapshot?: (rel: string) => string | null;
}

const MARGIN = 48;
const FOOTER_H = 48;
const INK = '#222222';
const MUTED = '#666666';
const RULE = '#cccccc';

/** Renders an echarts option to SVG server-side (no DOM), the same definitions the dashboard draws. */
export function chartSvg(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * Writes the report as PDF: title, site, period and zone, totals with the previous period, charts, the busiest
 * hours, the per-bucket table, the occurrence book, alarms, camera incidents, snapshots and the sign-off; every
 * page's footer has its number, who generated it and when, and the SHA-256 of the report's data.
 */
/** Seconds in words for a table cell: 45 s, 3 min 05 s, 1 h 02 min. */
function duration(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export async function writeReportPdf(m: ReportModel, out: Writable, opts: PdfOptions = {}): Promise<number> {
  const created = DateTime.fromISO(m.generatedAt).toJSDate();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER_H, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `${m.title} — ${m.period.label}`, Author: m.generatedBy, Subject: `${m.site}, ${m.period.fromIso} – ${m.period.toIso}`, Creator: 'Watchroom', CreationDate: created, ModDate: created },
  });
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    doc.once('error', reject);
  });
  done.catch(() => {});
  doc.pipe(out);
  try {
    return await render();
  } catch (err) {
    doc.unpipe(out);
    throw err;
  }

  async function render(): Promise<number> {
    const W = doc.page.width - 2 * MARGIN;
    const zone = m.period.timeZone;
    const time = (ms: number) => formatDate(DateTime.fromMillis(ms, { zone }), 'dd LLL HH:mm');
    const step = (f: number) => {
      if (opts.signal?.aborted) throw new ExportCancelled();
      opts.onProgress?.(f);
    };
    const ensure = (h: number) => {
      if (doc.y + h > doc.page.height - MARGIN - FOOTER_H) doc.addPage();
    };
    const heading = (text: string, keep = 0) => {
      ensure(60 + Math.min(keep, doc.page.height / 3));
      doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor(INK).text(text, MARGIN, doc.y);
      doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + W, doc.y + 2).strokeColor(RULE).lineWidth(0.5).stroke();
      doc.moveDown(0.4).font('Helvetica').fontSize(9);
    };
    const table = (cols: Array<{ title: string; width: number; align?: 'left' | 'right' }>, rows: string[][]) => {
      const rowH = 14;
      const rowHeight = (r: string[]) => Math.max(rowH, ...r.map((cell, i) => doc.heightOfString(cell, { width: cols[i]!.width - 4 }) + 3));
      // The header never stands alone at a page's foot: it keeps the first row (up to a third of a page) with it.
      const header = (keep = rowH) => {
        ensure(rowH + Math.min(keep, doc.page.height / 3));
        let x = MARGIN;
        const y = doc.y;
        doc.font('Helvetica-Bold').fontSize(8.5).fillColor(MUTED);
        for (const c of cols) {
          doc.text(c.title, x + 2, y, { width: c.width - 4, align: c.align ?? 'left', lineBreak: false });
          x += c.width;
        }
        doc.y = y + rowH;
        doc.font('Helvetica').fontSize(8.5).fillColor(INK);
      };
      doc.font('Helvetica').fontSize(8.5);
      header(rows[0] ? rowHeight(rows[0]) : rowH);
      for (const r of rows) {
        const h = rowHeight(r);
        if (doc.y + h > doc.page.height - MARGIN - FOOTER_H) {
          doc.addPage();
          header();
        }
        let x = MARGIN;
        const y = doc.y;
        r.forEach((cell, i) => {
          doc.text(cell, x + 2, y + 1, { width: cols[i]!.width - 4, align: cols[i]!.align ?? 'left' });
          x += cols[i]!.width;
        });
        doc.moveTo(MARGIN, y + h).lineTo(MARGIN + W, y + h).strokeColor('#eeeeee').lineWidth(0.5).stroke();
        doc.y = y + h;
      }
      doc.x = MARGIN;
    };
    const chart = (title: string, option: echarts.EChartsCoreOption, h = 200) => {
      ensure(h + 34);
      // a little air between the chart's title and whatever ends above it (a table's last row, another chart)
      doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(title, MARGIN, doc.y + 10);
      const y = doc.y + 4;
      // the SVG is drawn in points (without assumePt, svg-to-pdfkit reads its size in CSS pixels: 3/4 of the width)
      SVGtoPDF(doc, chartSvg(option, Math.round(W), h), MARGIN, y, { width: W, height: h, assumePt: true });
      doc.y = y + h + 6;
      doc.x = MARGIN;
    };

    // Title block.
    doc.font('Helvetica-Bold').fontSize(20).fillColor(INK).text(m.title);
    doc.font('Helvetica').fontSize(11).fillColor(INK).text(m.site);
    doc.moveDown(0.3).fontSize(10).text(`Period: ${m.period.label}`);
    doc.fillColor(MUTED).fontSize(9).text(`From ${m.period.fromIso} to ${m.period.toIso} (time zone ${zone}); compared with ${m.previous.fromIso} to ${m.previous.toIso}`);
    step(0.1);

    heading('Totals');
    const g = m.grand;
    const gp = m.grandPrevious;
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(`Total in ${g.in} · out ${g.out} · enter ${g.enter} · exit ${g.exit} · alarms ${g.alarms}`);
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(`Previous period: in ${gp.in} · out ${gp.out} · enter ${gp.enter} · exit ${gp.exit} · alarms ${gp.alarms}`);
    doc.moveDown(0.4);
    if (!m.totals.length) {
      doc.font('Helvetica-Oblique').fontSize(10).fillColor(INK).text('No counts were recorded in this period.');
    } else {
      const n = (v: number) => String(v);
      table(
        [
          { title: 'Camera', width: W * 0.18 },
          { title: 'Rule', width: W * 0.14 },
          { title: 'In', width: W * 0.08, align: 'right' },
          { title: 'Out', width: W * 0.08, align: 'right' },
          { title: 'Enter', width: W * 0.08, align: 'right' },
          { title: 'Exit', width: W * 0.08, align: 'right' },
          { title: 'Alarms', width: W * 0.08, align: 'right' },
          { title: 'Occ. end/peak', width: W * 0.16, align: 'right' },
          { title: 'Prev. in / out', width: W * 0.12, align: 'right' },
        ],
        m.totals.map((t) => [t.cameraName, t.ruleId, n(t.in), n(t.out), n(t.enter), n(t.exit), n(t.alarms), t.ruleKind === 'zone' ? `${t.occupancy} / ${t.peakOccupancy}` : '–', `${t.previous.in} / ${t.previous.out}`]),
      );
    }
    step(0.2);

    const hasLines = m.totals.some((t) => t.in || t.out);
    const hasZones = m.totals.some((t) => t.ruleKind === 'zone');
    if (hasLines) chart(`In / out per ${m.grain === '15m' ? '15 minutes' : m.grain}`, inOutChart(m, 'print'));
    step(0.3);
    if (hasZones) chart(`Peak occupancy per zone and ${m.grain === '15m' ? '15 minutes' : m.grain}`, occupancyChart(m, 'print'));
    step(0.4);
    if (m.totals.length) {
      chart('This period against the previous one', comparisonChart(m, 'print'), 170);
      chart('Traffic by day of the week and hour', heatmapChart(m, 'print'), 210);
    }
    step(0.5);

    if (m.busiest.length) {
      heading('Busiest hours');
      table(
        [
          { title: 'Hour starting', width: W * 0.5 },
          { title: 'In + enter', width: W * 0.2, align: 'right' },
        ],
        m.busiest.map((b) => [formatDate(DateTime.fromISO(b.hourIso, { zone }), 'ccc d LLL yyyy HH:mm'), String(b.count)]),
      );
    }

    // Dwell times of the zones with dwell reporting on: how long people stayed, per hour of leaving and overall.
    for (const d of m.dwell ?? []) {
      heading(`Dwell times: ${d.cameraName} · ${d.ruleName}`, 60);
      doc.fillColor(MUTED).fontSize(8.5).text('How long each person stayed in the zone (from entering to leaving, one track), by the hour they left. Typical: half stayed shorter. 9 in 10: nine in ten stayed at most this long.', { width: W });
      doc.moveDown(0.3).fillColor(INK);
      const row = (label: string, f: { visits: number; medianS: number; p90S: number; longestS: number }) => [label, String(f.visits), duration(f.medianS), duration(f.p90S), duration(f.longestS)];
      table(
        [
          { title: 'Hour', width: W * 0.28 },
          { title: 'Visits', width: W * 0.12, align: 'right' },
          { title: 'Typical (median)', width: W * 0.2, align: 'right' },
          { title: '9 in 10 at most (90th pct.)', width: W * 0.22, align: 'right' },
          { title: 'Longest', width: W * 0.18, align: 'right' },
        ],
        [...d.hours.map((h) => row(formatDate(DateTime.fromISO(h.hourIso, { zone }), 'ccc d LLL HH:00'), h)), row('Whole period', d.overall)],
      );
    }

    if (m.type === 'shift' || m.type === 'daily') {
      heading('Occurrence book');
      if (!m.occurrences.length) doc.fillColor(MUTED).text('No entries.');
      else
        table(
          [
            { title: 'Time', width: W * 0.16 },
            { title: 'Officer', width: W * 0.16 },
            { title: 'Entry', width: W * 0.68 },
          ],
          m.occurrences.map((e) => [time(e.at), e.by, e.text]),
        );
      // Keeps the heading with the table's first alarm (its steps make it tall).
      heading('Alarms', m.alarms.length ? 12 * (2 + (m.alarms[0]!.comment ? 2 : 0) + m.alarms[0]!.steps.length) : 0);
      if (!m.alarms.length) doc.fillColor(MUTED).text('No alarms.');
      else
        table(
          [
            { title: 'Opened', width: W * 0.12 },
            { title: 'Closed', width: W * 0.12 },
            { title: 'Camera / rule', width: W * 0.2 },
            { title: 'Priority', width: W * 0.1 },
            { title: 'Outcome', width: W * 0.1 },
            { title: 'Comment and steps', width: W * 0.36 },
          ],
          m.alarms.map((a) => [
            time(a.openedAt),
            a.closedAt === null ? 'open' : time(a.closedAt),
            `${a.camera} / ${a.rule}`,
            a.priority,
            a.outcome ?? '–',
            // The closing comment leads; a step repeats a comment only when it differs (e.g. one written on hold).
            [a.comment ?? '', ...a.steps.map((s) => `${time(s.at)} ${s.user}: ${s.action}${s.comment && s.comment !== a.comment ? ` (${s.comment})` : ''}`)].filter(Boolean).join('\n'),
          ]),
        );
      heading('Camera health incidents');
      if (!m.incidents.length) doc.fillColor(MUTED).text('No incidents.');
      else
        table(
          [
            { title: 'Camera', width: W * 0.25 },
            { title: 'State', width: W * 0.15 },
            { title: 'From', width: W * 0.15 },
            { title: 'To', width: W * 0.15 },
            { title: 'Detail', width: W * 0.3 },
          ],
          m.incidents.map((i) => [i.camera, i.state, time(i.from), i.to === null ? 'ongoing' : time(i.to), i.detail ?? '']),
        );
    }
    step(0.6);

    const snaps = opts.resolveSnapshot ? m.snapshots.map((s) => ({ s, file: opts.resolveSnapshot!(s.path) })).filter((x) => x.file && fs.existsSync(x.file)) : [];
    if (snaps.length) {
      const w = (W - 12) / 2;
      const h = w * 0.5625;
      heading('Alarm snapshots', h + 20);
      for (let i = 0; i < snaps.length; i++) {
        const { s, file } = snaps[i]!;
        if (i % 2 === 0) ensure(h + 20);
        const x = MARGIN + (i % 2) * (w + 12);
        const y = doc.y;
        try {
          doc.image(file!, x, y, { fit: [w, h] });
        } catch {
          doc.rect(x, y, w, h).strokeColor(RULE).stroke();
        }
        doc.fontSize(8).fillColor(MUTED).text(`${time(s.at)} · ${s.type} · ${s.ruleId}`, x, y + h + 2, { width: w });
        // The next snapshot shares this row; after the last one (an odd count too) the text goes below the row.
        doc.y = i % 2 === 0 && i < snaps.length - 1 ? y : y + h + 16;
      }
      doc.x = MARGIN;
    }

    if (m.rows.length) {
      heading(`Counts per ${m.grain === '15m' ? '15 minutes' : m.grain} (all rules)`);
      const per = new Map<number, { in: number; out: number; enter: number; exit: number; alarm: number }>();
      for (const r of m.rows) {
        const v = per.get(r.bucket) ?? { in: 0, out: 0, enter: 0, exit: 0, alarm: 0 };
        v[r.kind] += r.count;
        per.set(r.bucket, v);
      }
      const labels = new Map(m.buckets.map((b, i) => [b, m.bucketLabels[i]!]));
      table(
        [
          { title: 'Bucket', width: W * 0.3 },
          { title: 'In', width: W * 0.14, align: 'right' },
          { title: 'Out', width: W * 0.14, align: 'right' },
          { title: 'Enter', width: W * 0.14, align: 'right' },
          { title: 'Exit', width: W * 0.14, align: 'right' },
          { title: 'Alarms', width: W * 0.14, align: 'right' },
        ],
        [...per.entries()].sort((a, b) => a[0] - b[0]).map(([b, v]) => [labels.get(b) ?? String(b), String(v.in), String(v.out), String(v.enter), String(v.exit), String(v.alarm)]),
      );
    }
    step(0.8);

    if (m.type === 'shift') {
      heading('Handover');
      doc.font('Helvetica-Bold').fontSize(10).fillColor(INK);
      if (m.signoff) doc.text(`Signed off by ${m.signoff.by} at ${formatDate(DateTime.fromMillis(m.signoff.at, { zone }), 'd LLL yyyy HH:mm:ss')}${m.signoff.note ? ` — ${m.signoff.note}` : ''}`);
      else doc.text('Not signed off yet.');
    }

    // Footers: page numbers, who generated it and when (in the report's own zone, to the second), the data hash, and
    // the audit trail's head at that time (an outside witness of how far the trail reached).
    const generatedAt = formatDate(DateTime.fromISO(m.generatedAt, { setZone: true }), 'd LLL yyyy HH:mm:ss ZZ');
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const y = doc.page.height - MARGIN - FOOTER_H + 8;
      const old = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.moveTo(MARGIN, y - 4).lineTo(MARGIN + W, y - 4).strokeColor(RULE).lineWidth(0.5).stroke();
      doc.font('Helvetica').fontSize(7.5).fillColor(MUTED);
      doc.text(`${m.site} · ${m.title} · ${m.period.label}`, MARGIN, y, { lineBreak: false });
      doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN + W - 80, y, { width: 80, align: 'right', lineBreak: false });
      doc.text(`Generated by ${m.generatedBy} at ${generatedAt}`, MARGIN, y + 9, { lineBreak: false });
      doc.text(`Data SHA-256: ${m.dataSha256}`, MARGIN, y + 18, { lineBreak: false });
      doc.text(m.auditHead ? `Audit trail at generation: row ${m.auditHead.id}, SHA-256 ${m.auditHead.hash}` : 'Audit trail at generation: empty', MARGIN, y + 27, { lineBreak: false });
      doc.page.margins.bottom = old;
    }
    doc.end();
    await done;
    opts.onProgress?.(1);
    return range.count;
  }
}
