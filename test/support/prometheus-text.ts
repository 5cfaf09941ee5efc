/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (the grammar of
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): `# HELP`/`# TYPE` lines, samples
 * `name{label="value",...} value [timestamp]` with escaped label values. Throws on any line that breaks it, on a
 * sample without its family's TYPE, on a TYPE given twice or after the family's samples, and on duplicate series.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface PromFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (s === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`bad value "${s}"`);
  return Number(s);
}

function parseLabels(s: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  for (;;) {
    while (s[i] === ' ') i++;
    if (s[i] === '}') return { labels, rest: s.slice(i + 1) };
    const eq = s.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels: ${line}`);
    const name = s.slice(i, eq).trim();
    if (!LABEL.test(name) || name in labels) throw new Error(`bad label name "${name}": ${line}`);
    if (s[eq + 1] !== '"') throw new Error(`label value not quoted: ${line}`);
    let j = eq + 2;
    let value = '';
    for (; j < s.length && s[j] !== '"'; j++) {
      if (s[j] === '\\') {
        const n = s[++j];
        if (n === 'n') value += '\n';
        else if (n === '\\' || n === '"') value += n;
        else throw new Error(`bad escape: ${line}`);
      } else value += s[j];
    }
    if (s[j] !== '"') throw new Error(`unterminated label value: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new Error(`expected , or }: ${line}`);
  }
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const seen = new Set<string>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  if (!text.endsWith('\n')) throw new Error('the text must end with a newline');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) continue; // a comment
      const [, kind, name, rest] = m;
      if (!NAME.test(name!)) throw new Error(`bad metric name: ${line}`);
      const f = family(name!);
      if (kind === 'TYPE') {
        if (f.type !== 'untyped' || f.samples.length) throw new Error(`TYPE repeated or after samples: ${line}`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest!)) throw new Error(`bad type: ${line}`);
        f.type = rest as PromFamily['type'];
      } else f.help = rest!;
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(.*)$/.exec(line);
    if (!m) throw new Error(`bad sample: ${line}`);
    const name = m[1]!;
    let rest = m[2]!;
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest.slice(1), line));
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`bad sample: ${line}`);
    const value = parseValue(parts[0]!);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`bad timestamp: ${line}`);
    // Histogram and summary samples are <family>_bucket / _sum / _count (and the bare family for summaries' quantiles).
    const base = /^(.*)_(bucket|sum|count)$/.exec(name);
    const viaBase = base && ['histogram', 'summary'].includes(families.get(base[1]!)?.type ?? '') ? families.get(base[1]!) : undefined;
    const f = viaBase ?? families.get(name);
    if (!f || f.type === 'untyped') throw new Error(`sample without TYPE: ${line}`);
    if (f.type === 'histogram' && !viaBase) throw new Error(`histogram sample without _bucket/_sum/_count: ${line}`);
    if (base?.[2] === 'bucket' && viaBase?.type === 'histogram' && labels.le === undefined) throw new Error(`bucket without le: ${line}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`duplicate series: ${line}`);
    seen.add(key);
    f.samples.push({ name, labels, value });
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

/** Buckets cumulative and ordered by `le`, ending in +Inf equal to `_count`, per series. */
function checkHistogram(f: PromFamily): void {
  const series = new Map<string, PromSample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`);
    const count = samples.find((s) => s.name === `${f.name}_count`);
    if (!count || !samples.some((s) => s.name === `${f.name}_sum`)) throw new Error(`${f.name}${key}: _sum or _count missing`);
    const les = buckets.map((b) => parseValue(b.labels.le!));
    if (les[les.length - 1] !== Infinity) throw new Error(`${f.name}${key}: no +Inf bucket`);
    for (let i = 1; i < buckets.length; i++) {
      if (!(les[i]! > les[i - 1]!)) throw new Error(`${f.name}${key}: buckets out of order`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${f.name}${key}: buckets not cumulative`);
    }
    if (buckets[buckets.length - 1]!.value !== count.value) throw new Error(`${f.name}${key}: +Inf bucket differs from _count`);
  }
}
