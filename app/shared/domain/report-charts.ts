import type { EChartsOption } from 'echarts';
import type { ReportModel } from './reports';

/**
 * Chart definitions shared by the dashboard (echarts in the browser, dark theme) and the PDF (echarts
 * server-side rendering to SVG, print theme): the same options, only the palette differs.
 */
export type ChartTheme = 'dark' | 'print';

interface Palette {
  text: string;
  axis: string;
  grid: string;
  in: string;
  out: string;
  enter: string;
  exit: string;
  previous: string;
  heat: [string, string, string];
  lines: string[];
  /** Text size: CSS pixels on screen, points on paper (the PDF draws the SVG in points, beside 9 pt body text). */
  fontSize: number;
}
const PALETTES: Record<ChartTheme, Palette> = {
  dark: {
    text: '#d7dde8', axis: '#8a96a8', grid: '#2a3340', in: '#4fc3f7', out: '#ffb74d', enter: '#81c784', exit: '#e57373', previous: '#5c6b80',
    heat: ['#1b2430', '#2f6f9f', '#ffd54f'], lines: ['#4fc3f7', '#ffb74d', '#81c784', '#ba68c8', '#e57373', '#fff176', '#4db6ac', '#f06292'],
    fontSize: 12,
  },
  print: {
    text: '#222222', axis: '#555555', grid: '#dddddd', in: '#1565c0', out: '#ef6c00', enter: '#2e7d32', exit: '#c62828', previous: '#9e9e9e',
    heat: ['#f5f7fa', '#64b5f6', '#0d47a1'], lines: ['#1565c0', '#ef6c00', '#2e7d32', '#6a1b9a', '#c62828', '#f9a825', '#00897b', '#ad1457'],
    fontSize: 8.5,
  },
};

const base = (p: Palette) => ({
  animation: false,
  backgroundColor: 'transparent',
  textStyle: { color: p.text, fontFamily: 'Helvetica, Arial, sans-serif', fontSize: p.fontSize },
  grid: { left: 48, right: 16, top: 36, bottom: 40 },
  legend: { top: 4, textStyle: { color: p.text, fontSize: p.fontSize } },
  tooltip: { trigger: 'axis' as const },
});
const axisStyle = (p: Palette) => ({
  axisLine: { lineStyle: { color: p.axis } },
  axisLabel: { color: p.axis, fontSize: p.fontSize },
  splitLine: { lineStyle: { color: p.grid } },
});

/** In/out per bucket summed over the line rules (or of one rule: `ruleKey` = cameraId + '/' + ruleId). */
export function inOutChart(m: ReportModel, theme: ChartTheme, ruleKey?: string): EChartsOption {
  const p = PALETTES[theme];
  const n = m.buckets.length;
  const ins = Array<number>(n).fill(0);
  const outs = Array<number>(n).fill(0);
  for (const s of m.series) {
    if (ruleKey && `${s.cameraId}/${s.ruleId}` !== ruleKey) continue;
    s.in.forEach((v, i) => (ins[i]! += v));
    s.out.forEach((v, i) => (outs[i]! += v));
  }
  return {
    ...base(p),
    xAxis: { type: 'category', data: m.bucketLabels, ...axisStyle(p) },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle(p) },
    series: [
      { name: 'In', type: 'bar', data: ins, itemStyle: { color: p.in } },
      { name: 'Out', type: 'bar', data: outs, itemStyle: { color: p.out } },
    ],
  };
}

/**
 * A zone's occupancy per bucket, cut where the report was generated: buckets that start later have not happened,
 * so they hold no value (a gap, and the line stops at now) instead of the last occupancy carried forward.
 */
export function occupancyUntilNow(m: Pick<ReportModel, 'buckets' | 'generatedAt'>, values: readonly number[]): (number | null)[] {
  const cut = Date.parse(m.generatedAt);
  if (!Number.isFinite(cut)) return [...values];
  return values.map((v, i) => ((m.buckets[i] ?? 0) > cut ? null : v));
}

/** Peak occupancy per bucket, one line per zone. */
export function occupancyChart(m: ReportModel, theme: ChartTheme): EChartsOption {
  const p = PALETTES[theme];
  const zones = m.series.filter((s) => m.totals.some((t) => t.cameraId === s.cameraId && t.ruleId === s.ruleId && t.ruleKind === 'zone'));
  return {
    ...base(p),
    xAxis: { type: 'category', data: m.bucketLabels, ...axisStyle(p) },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle(p) },
    series: zones.map((s, i) => ({ name: s.label, type: 'line', step: 'end', data: occupancyUntilNow(m, s.occupancy), showSymbol: false, lineStyle: { color: p.lines[i % p.lines.length] }, itemStyle: { color: p.lines[i % p.lines.length] } })),
  };
}

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Traffic per weekday × hour of the day. */
export function heatmapChart(m: ReportModel, theme: ChartTheme): EChartsOption {
  const p = PALETTES[theme];
  const data: Array<[number, number, number]> = [];
  let max = 0;
  m.heatmap.forEach((row, d) =>
    row.forEach((v, h) => {
      data.push([h, d, v]);
      max = Math.max(max, v);
    }),
  );
  return {
    ...base(p),
    legend: undefined,
    tooltip: { position: 'top' },
    grid: { left: 48, right: 16, top: 16, bottom: 64 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')), splitArea: { show: false }, ...axisStyle(p) },
    yAxis: { type: 'category', data: DAYS, inverse: true, ...axisStyle(p) },
    visualMap: { min: 0, max: Math.max(1, max), calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, textStyle: { color: p.text, fontSize: p.fontSize }, inRange: { color: p.heat } },
    series: [{ name: 'Traffic', type: 'heatmap', data, itemStyle: { borderColor: theme === 'dark' ? '#10151c' : '#ffffff', borderWidth: 1 } }],
  };
}

/** This period against the previous one. */
export function comparisonChart(m: ReportModel, theme: ChartTheme): EChartsOption {
  const p = PALETTES[theme];
  const keys = ['in', 'out', 'enter', 'exit', 'alarms'] as const;
  return {
    ...base(p),
    xAxis: { type: 'category', data: ['In', 'Out', 'Enter', 'Exit', 'Alarms'], ...axisStyle(p) },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle(p) },
    series: [
      { name: 'Previous period', type: 'bar', data: keys.map((k) => m.grandPrevious[k]), itemStyle: { color: p.previous } },
      { name: 'This period', type: 'bar', data: keys.map((k) => m.grand[k]), itemStyle: { color: p.in } },
    ],
  };
}
