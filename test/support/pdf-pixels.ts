import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One rasterised PDF page, RGB (3 bytes per pixel). */
export interface PagePixels {
  width: number;
  height: number;
  data: Uint8Array;
  /** Dots per PDF point (dpi / 72): multiply a PDF coordinate by it to get a pixel coordinate. */
  scale: number;
}

/** Rasterises page `page` (1-based) of a PDF with poppler's pdftoppm at `dpi`, for checks on the pixels. */
export function pdfPagePixels(pdf: Buffer, page = 1, dpi = 72): PagePixels {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-pdf-px-'));
  try {
    const src = path.join(dir, 'in.pdf');
    fs.writeFileSync(src, pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', src, path.join(dir, 'page')], { timeout: 60_000 });
    return { ...parsePpm(fs.readFileSync(path.join(dir, 'page.ppm'))), scale: dpi / 72 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses a binary PPM (P6, maxval 255) as written by pdftoppm. */
export function parsePpm(buf: Buffer): { width: number; height: number; data: Uint8Array } {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4 && i < buf.length) {
    while (i < buf.length && /\s/.test(String.fromCharCode(buf[i]!))) i++;
    if (buf[i] === 0x23) {
      while (i < buf.length && buf[i] !== 0x0a) i++;
      continue;
    }
    let tok = '';
    while (i < buf.length && !/\s/.test(String.fromCharCode(buf[i]!))) tok += String.fromCharCode(buf[i++]!);
    fields.push(tok);
  }
  const [magic, w, h, max] = fields;
  if (magic !== 'P6' || max !== '255') throw new Error(`not a P6/255 PPM: ${fields.join(' ')}`);
  const width = Number(w);
  const height = Number(h);
  const data = new Uint8Array(buf.subarray(i + 1, i + 1 + width * height * 3));
  if (data.length !== width * height * 3) throw new Error('truncated PPM');
  return { width, height, data };
}

/** Where a raster image is drawn on a PDF page, in PDF points from the page's top-left corner. */
export interface PdfImageBox {
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The raster images drawn in a PDF, per page (poppler's pdftohtml -xml at zoom 1 reports them in points). */
export function pdfImageBoxes(pdf: Buffer): PdfImageBox[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-pdf-img-'));
  try {
    const src = path.join(dir, 'in.pdf');
    fs.writeFileSync(src, pdf);
    execFileSync('pdftohtml', ['-xml', '-zoom', '1', '-q', '-nodrm', src, path.join(dir, 'out')], { timeout: 60_000 });
    const xml = fs.readFileSync(path.join(dir, 'out.xml'), 'utf8');
    const out: PdfImageBox[] = [];
    // Bounded by the document: one match per <page> and per <image>.
    for (const p of xml.matchAll(/<page number="(\d+)"[^>]*>([\s\S]*?)<\/page>/g)) {
      for (const m of p[2]!.matchAll(/<image top="([\d.]+)" left="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
        out.push({ page: Number(p[1]), y: Number(m[1]), x: Number(m[2]), w: Number(m[3]), h: Number(m[4]) });
      }
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
