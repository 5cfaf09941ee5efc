import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseRulesFile, type Rule } from '../../shared/domain/rules';

/**
 * An evaluation suite: a list of clips, each with its ground truth and rules, scored together by
 * `npm run eval -- --suite <file.json>`. Paths are relative to the suite file; `$SHARED` stands for the shared
 * fixtures folder (`WATCHROOM_SHARED_DIR`, else `../shared` beside the repository).
 */
const CountsSchema = z.record(z.string(), z.partialRecord(z.enum(['in', 'out', 'enter', 'exit', 'maxOccupancy']), z.number().int().min(0)));

const ClipSchema = z.strictObject({
  /** Short name printed in the table. */
  name: z.string().min(1).max(40),
  video: z.string().min(1),
  /** MOTChallenge ground truth (frame,id,left,top,width,height,conf,...): MOT metrics and true line crossings. */
  gt: z.string().min(1).optional(),
  /** A rules file path, or the rules inline. */
  rules: z.union([z.string().min(1), z.array(z.unknown())]),
  /** Analysis frame rate (the camera's); omitted: every decoded frame. */
  fps: z.number().positive().max(120).optional(),
  /** Tracked classes scored against the ground truth. */
  classes: z.array(z.string().min(1)).min(1).optional(),
  /** Hand-counted totals per rule id (for clips without MOT ground truth), e.g. {"entry": {"in": 6}}. */
  expect: CountsSchema.optional(),
  /** Per zone rule id: time windows (s) in which the zone must hold nobody. */
  empty: z.record(z.string(), z.array(z.tuple([z.number().min(0), z.number().min(0)]))).optional(),
  /**
   * A grey post painted over the video before analysis, [x1, y1, x2, y2] normalised: people pass behind it while
   * the ground truth still has them (an occluder next to a line, on real footage).
   */
  occluder: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)])
    .refine(([x1, y1, x2, y2]) => x2 > x1 && y2 > y1, 'the occluder box must have x2 > x1 and y2 > y1').optional(),
  /**
   * Play the clip backwards (its analysed frames and ground truth in reverse order): new footage for the tracker
   * and the rules from the same pictures, where groups merge instead of splitting and people walk out of the
   * frame where they walked in. Scored against MOT ground truth only.
   */
  reverse: z.boolean().optional(),
});

const SuiteSchema = z.strictObject({
  /** Crossing match tolerance, seconds (default 1). */
  tolerance: z.number().min(0).max(10).optional(),
  clips: z.array(ClipSchema).min(1),
});

export type SuiteClipSpec = z.infer<typeof ClipSchema>;

/** A clip with every path resolved and its rules parsed. */
export interface SuiteClip extends Omit<SuiteClipSpec, 'rules' | 'video' | 'gt'> {
  video: string;
  gt?: string;
  rules: Rule[];
  /** Where the rules came from (for messages). */
  rulesFrom: string;
}

export interface Suite {
  file: string;
  tolerance: number;
  clips: SuiteClip[];
}

/** A suite that cannot be used; `message` names the file (and the line or clip) and says what is wrong. */
export class SuiteInputError extends Error {}

/** 1-based line of character offset `pos` in `text`. */
function lineOf(text: string, pos: number): number {
  return text.slice(0, Math.max(0, pos)).split('\n').length;
}

/** Line of the n-th clip's opening brace (best effort, for messages). */
function clipLine(text: string, index: number): number | null {
  const start = text.indexOf('"clips"');
  if (start < 0) return null;
  let depth = 0;
  let seen = -1;
  for (let i = text.indexOf('[', start) + 1; i > 0 && i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '{') {
      if (depth === 0 && ++seen === index) return lineOf(text, i);
      depth++;
    } else if (ch === '}') depth--;
    else if (ch === ']' && depth === 0) break;
  }
  return null;
}

export function sharedFixturesDir(repoRoot: string): string {
  return path.resolve(process.env.WATCHROOM_SHARED_DIR ?? path.join(repoRoot, '..', 'shared'));
}

/**
 * Reads, validates and resolves a suite file. Every problem is found before anything is analysed: a missing
 * file, a bad rules file or an unknown rule, a clip without ground truth or expectations. Throws SuiteInputError.
 */
export function loadSuite(file: string, repoRoot: string): Suite {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SuiteInputError(`cannot read suite ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    throw new SuiteInputError(`suite ${file}${pos ? `, line ${lineOf(text, Number(pos[1]))}` : ''}: not JSON (${msg})`);
  }
  const parsed = SuiteSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    const line = issue.path[0] === 'clips' && typeof issue.path[1] === 'number' ? clipLine(text, issue.path[1]) : null;
    throw new SuiteInputError(`suite ${file}${line ? `, line ${line}` : ''}: ${where ? `${where}: ` : ''}${issue.message}`);
  }
  const dir = path.dirname(path.resolve(file));
  const shared = sharedFixturesDir(repoRoot);
  const resolve = (p: string) => (p.startsWith('$SHARED/') ? path.join(shared, p.slice('$SHARED/'.length)) : path.resolve(dir, p));
  const names = new Set<string>();
  const clips = parsed.data.clips.map((c, i): SuiteClip => {
    const line = clipLine(text, i);
    const at = `suite ${file}${line ? `, line ${line}` : ''}, clip "${c.name}"`;
    if (names.has(c.name)) throw new SuiteInputError(`${at}: the name is used by another clip`);
    names.add(c.name);
    const video = resolve(c.video);
    if (!fs.existsSync(video)) throw new SuiteInputError(`${at}: video ${video} does not exist`);
    const gt = c.gt ? resolve(c.gt) : undefined;
    if (gt && !fs.existsSync(gt)) throw new SuiteInputError(`${at}: ground truth ${gt} does not exist`);
    if (c.reverse && (!gt || c.expect || c.empty)) throw new SuiteInputError(`${at}: a clip played backwards ("reverse") is scored against MOT ground truth ("gt") only, not hand counts`);
    if (!gt && !c.expect && !c.empty) throw new SuiteInputError(`${at}: give a MOT ground truth ("gt") or hand counts ("expect" / "empty") to score against`);
    let rulesJson: unknown;
    let rulesFrom = `${at} (inline rules)`;
    if (typeof c.rules === 'string') {
      const rf = resolve(c.rules);
      rulesFrom = `rules file ${rf}`;
      try {
        rulesJson = JSON.parse(fs.readFileSync(rf, 'utf8'));
      } catch (e) {
        throw new SuiteInputError(`${at}: cannot read ${rulesFrom}: ${e instanceof Error ? e.message : String(e)}`);
      }
    } else rulesJson = { rules: c.rules };
    let rules: Rule[];
    try {
      rules = parseRulesFile(rulesJson).rules;
    } catch (e) {
      throw new SuiteInputError(`${at}: ${rulesFrom}: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const id of [...Object.keys(c.expect ?? {}), ...Object.keys(c.empty ?? {})]) {
      if (!rules.some((r) => r.id === id)) throw new SuiteInputError(`${at}: expectations name rule "${id}", which is not in ${rulesFrom}`);
    }
    return { ...c, video, gt, rules, rulesFrom };
  });
  return { file, tolerance: parsed.data.tolerance ?? 1, clips };
}
