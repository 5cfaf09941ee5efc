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
    const f = families.get(name);
    if (!f || f.type === 'untyped') throw new Error(`sample without TYPE: ${line}`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`duplicate series: ${line}`);
    seen.add(key);
    f.samples.push({ name, labels, value });
  }
  return families;
}
