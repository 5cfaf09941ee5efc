/**
 * Optimal rectangular assignment (Hungarian / Kuhn-Munkres with potentials, O(n^2 m)). `cost[i][j]` for rows
 * i (tracks) and columns j (detections); pairs whose cost is >= `maxCost` are never matched.
 * Returns [row, col] pairs.
 */
export function solveAssignment(cost: readonly (readonly number[])[], maxCost: number): Array<[number, number]> {
  const nRows = cost.length;
  const nCols = nRows ? cost[0]!.length : 0;
  if (!nRows || !nCols) return [];
  // Pad to a square matrix; forbidden and padded cells cost `big` so they are chosen only when unavoidable.
  const n = Math.max(nRows, nCols);
  const big = maxCost * 2 + 1;
  const c = (i: number, j: number): number => {
    if (i >= nRows || j >= nCols) return big;
    const v = cost[i]![j]!;
    return v >= maxCost || !Number.isFinite(v) ? big : v;
  };
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j] = row assigned to column j (1-based), 0 = none
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = c(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          const r = p[j]!;
          u[r] = u[r]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  const out: Array<[number, number]> = [];
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    if (i < nRows && j - 1 < nCols && c(i, j - 1) < big) out.push([i, j - 1]);
  }
  return out;
}
