/** A label's rectangle in tile pixels. */
export interface LabelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A label to place: its size and the box it belongs to (tile pixels). */
export interface LabelRequest {
  width: number;
  height: number;
  box: LabelRect;
}

const overlaps = (a: LabelRect, b: LabelRect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Places box labels so they never pile up in a crowd: each label goes above its box, else just inside the box's
 * top, else stacked below the labels already in its way (while it stays within its box); a label that fits
 * nowhere is skipped (its box is still drawn). Requests come in priority order (highest score first), so the
 * most confident labels win. `minY` keeps labels below the tile's header band. Pure, for tests.
 */
export function declutterLabels(requests: readonly LabelRequest[], minY = 0): (LabelRect | null)[] {
  const placed: LabelRect[] = [];
  return requests.map((r) => {
    const at = (y: number): LabelRect => ({ x: r.box.x, y, width: r.width, height: r.height });
    const candidates = [at(Math.max(minY, r.box.y - r.height)), at(Math.max(minY, r.box.y))];
    const free = (c: LabelRect) => !placed.some((p) => overlaps(p, c));
    let chosen = candidates.find(free) ?? null;
    if (!chosen) {
      // Stack: step below each label in the way, as long as the label stays inside its own box.
      let c = candidates[1]!;
      for (let i = 0; i < 8 && !chosen; i++) {
        const blocker = placed.find((p) => overlaps(p, c));
        if (!blocker) chosen = c;
        else c = at(blocker.y + blocker.height + 1);
        if (c.y + c.height > r.box.y + r.box.height) break;
      }
    }
    if (chosen) placed.push(chosen);
    return chosen;
  });
}
