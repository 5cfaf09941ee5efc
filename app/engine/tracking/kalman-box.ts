import type { BoxXYXY } from '../../shared/geometry/box';

/**
 * Constant-velocity Kalman filter on a box's (centre x, centre y, aspect w/h, height), with velocities in
 * units per SECOND so that uneven frame intervals are handled. The four axes are independent (as in SORT and
 * ByteTrack, whose matrices are block-diagonal), so each is a 2-state filter in closed form.
 * Noise scales with box height, as in ByteTrack; the reference rate turns its per-frame constants into rates.
 */

const STD_POS = 1 / 20;
const STD_VEL = 1 / 160;
const REF_FPS = 25;

interface Axis {
  x: number;
  v: number;
  pxx: number;
  pxv: number;
  pvv: number;
}

export class KalmanBox {
  private axes: [Axis, Axis, Axis, Axis];

  constructor(box: BoxXYXY) {
    const m = toMeasurement(box);
    const h = m[3];
    const pos = (i: number) => (i === 2 ? 1e-2 : 2 * STD_POS * h);
    const vel = (i: number) => (i === 2 ? 1e-5 : 10 * STD_VEL * h * REF_FPS);
    this.axes = m.map((x, i) => ({ x, v: 0, pxx: pos(i) ** 2, pxv: 0, pvv: vel(i) ** 2 })) as [Axis, Axis, Axis, Axis];
  }

  /** Moves the state dt seconds ahead. */
  predict(dt: number): void {
    if (dt <= 0) return;
    const h = Math.max(this.axes[3].x, 1e-3);
    const steps = dt * REF_FPS;
    this.axes.forEach((a, i) => {
      const qp = (i === 2 ? 1e-2 : STD_POS * h) ** 2 * steps;
      const qv = (i === 2 ? 1e-5 : STD_VEL * h * REF_FPS) ** 2 * steps;
      a.x += a.v * dt;
      const pxx = a.pxx + 2 * dt * a.pxv + dt * dt * a.pvv + qp;
      const pxv = a.pxv + dt * a.pvv;
      a.pxx = pxx;
      a.pxv = pxv;
      a.pvv += qv;
    });
    if (this.axes[3].x < 1e-3) this.axes[3].x = 1e-3;
  }

  /** Folds in a measured box. */
  update(box: BoxXYXY): void {
    const m = toMeasurement(box);
    const h = Math.max(this.axes[3].x, 1e-3);
    this.axes.forEach((a, i) => {
      const r = (i === 2 ? 1e-1 : STD_POS * h) ** 2;
      const s = a.pxx + r;
      const kx = a.pxx / s;
      const kv = a.pxv / s;
      const y = m[i]! - a.x;
      a.x += kx * y;
      a.v += kv * y;
      const pxx = (1 - kx) * a.pxx;
      const pxv = (1 - kx) * a.pxv;
      const pvv = a.pvv - kv * a.pxv;
      a.pxx = pxx;
      a.pxv = pxv;
      a.pvv = pvv;
    });
  }

  /** Sets the velocities to zero (used when coasting for long, so a lost track does not drift away). */
  damp(factor: number): void {
    for (const a of this.axes) a.v *= factor;
  }

  box(): [number, number, number, number] {
    const [cx, cy, a, h] = this.axes.map((ax) => ax.x) as [number, number, number, number];
    const w = Math.max(a, 0.05) * h;
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  }

  /** Centre velocity in normalised units per second. */
  velocity(): [number, number] {
    return [this.axes[0].v, this.axes[1].v];
  }
}

function toMeasurement(b: BoxXYXY): [number, number, number, number] {
  const w = Math.max(b[2] - b[0], 1e-4);
  const h = Math.max(b[3] - b[1], 1e-4);
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, w / h, h];
}
