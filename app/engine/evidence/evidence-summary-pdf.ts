import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { EvidenceSummaryFacts } from './evidence-export';

const MARGIN = 48;
const INK = '#222222';
const MUTED = '#666666';

/**
 * The export's human-readable summary: what was exported, when, by whom and why, per camera the recorded parts
 * and whether masks are burned in, and how many events and snapshots came with it. Same library, page size,
 * fonts and colours as the reports' PDF (app/engine/reports/pdf-writer.ts); the hashes are in manifest.json.
 */
export async function writeEvidenceSummaryPdf(file: string, f: EvidenceSummaryFacts & { site: string; exportedAt: string; timeZone: string }): Promise<void> {
  const created = new Date(f.exportedAt);
  const doc = new PDFDocument({ size: 'A4', margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN }, info: { Title: 'Evidence export', Author: f.exportedBy, Subject: f.reason, Creator: 'Watchroom', CreationDate: created, ModDate: created } });
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  doc.pipe(out);
  const when = (ms: number | string) => new Date(ms).toLocaleString('en-GB', { timeZone: f.timeZone, dateStyle: 'medium', timeStyle: 'medium' });
  doc.font('Helvetica-Bold').fontSize(20).fillColor(INK).text('Evidence export');
  doc.font('Helvetica').fontSize(11).text(f.site);
  doc.moveDown(0.5).fontSize(10);
  const line = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  line('Time range', `${when(f.fromMs)} – ${when(f.toMs)} (${f.timeZone})`);
  line('Reason', f.reason);
  line('Exported by', f.exportedBy);
  if (f.approvedBy) line('Approved by', f.approvedBy);
  line('Exported at', when(f.exportedAt));
  line('Events in the range', `${f.events} (events.csv), ${f.snapshots} snapshot${f.snapshots === 1 ? '' : 's'}`);
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text('Cameras');
  for (const c of f.cameras) {
    doc.moveDown(0.4).font('Helvetica-Bold').fontSize(10).fillColor(INK).text(`${c.name} — ${c.file}`);
    const masks = c.masks === 'burned-in' ? 'Privacy masks are burned into the video.' : c.masks === 'lifted' ? 'Privacy masks were lifted for this export.' : 'This camera has no privacy masks.';
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(masks);
    const recorded = c.recorded.map((r) => `${when(r.from)} – ${when(r.to)}`).join('; ');
    doc.text(`Recorded: ${recorded || 'nothing'}${c.recorded.length > 1 ? ' (the gaps between are not in the video)' : ''}`);
  }
  doc.moveDown(1).fontSize(8).fillColor(MUTED).text('Every file of this folder is listed with its SHA-256 in manifest.json. Check it with "npm run evidence -- verify <folder>" or Verify in the app.');
  doc.end();
  await done;
}
