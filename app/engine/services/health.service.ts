import { worstLevel, type ComponentHealth, type HealthReport } from '../../shared/domain/health';
import type { CameraRuntime } from '../camera/camera-runtime';
import type { Logger } from '../logging/logger';
import { walSizeBytes, type Db } from '../storage/database';
import type { PushBus } from './push-bus';

/** WAL above this size (bytes) means checkpoints are not keeping up. */
const WAL_WARN_BYTES = 256 * 1024 * 1024;

/** Builds health reports (database + camera runtime + this process) and pushes them while anyone listens. */
export class HealthService {
  private timer: NodeJS.Timeout | null = null;
  private lastCpu = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  constructor(
    private readonly db: Db,
    private readonly runtime: CameraRuntime,
    private readonly push: PushBus,
    private readonly logger: Logger,
    /** Push period, ms. */
    private readonly intervalMs = 2000,
    /** Name of the host component (e.g. "Headless host"). */
    private readonly hostName = 'Engine host',
    /** Further components (the inference worker). */
    private readonly extra: () => ComponentHealth[] = () => [],
  ) {}

  report(): HealthReport {
    const components = [this.database(), ...this.safeRuntimeHealth(), ...this.safeExtra(), this.host()];
    return { level: worstLevel(components.map((c) => c.level)), at: new Date().toISOString(), components };
  }

  /** Starts/stops the periodic push according to the number of push listeners. */
  setListeners(count: number): void {
    if (count > 0 && !this.timer) {
      this.timer = setInterval(() => this.push.emit('health:update', this.report()), this.intervalMs);
      this.timer.unref();
    } else if (count === 0 && this.timer) {
      this.stop();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private database(): ComponentHealth {
    try {
      this.db.prepare('SELECT 1').get();
      const wal = walSizeBytes(this.db);
      const big = wal > WAL_WARN_BYTES;
      return { id: 'database', kind: 'database', name: 'Database', level: big ? 'degraded' : 'healthy', detail: big ? `Write-ahead log is large (${Math.round(wal / 1048576)} MB).` : 'Reads and writes work.', metrics: {} };
    } catch (err) {
      this.logger.error('database health check failed', { err });
      return { id: 'database', kind: 'database', name: 'Database', level: 'unhealthy', detail: `The database does not answer: ${(err as Error).message}`, metrics: {} };
    }
  }

  private safeRuntimeHealth(): ComponentHealth[] {
    try {
      return this.runtime.health();
    } catch (err) {
      this.logger.error('camera runtime health failed', { err });
      return [{ id: 'cameras', kind: 'camera', name: 'Cameras', level: 'unhealthy', detail: 'The camera runtime does not report its health.', metrics: {} }];
    }
  }

  private safeExtra(): ComponentHealth[] {
    try {
      return this.extra();
    } catch (err) {
      this.logger.error('component health failed', { err });
      return [];
    }
  }

  private host(): ComponentHealth {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage(this.lastCpu);
    const wallUs = Number(now - this.lastAt) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    const cpuPercent = wallUs > 0 ? Math.round(((cpu.user + cpu.system) / wallUs) * 1000) / 10 : 0;
    const rssBytes = process.memoryUsage.rss();
    return { id: 'host', kind: 'host', name: this.hostName, level: 'healthy', detail: `Process ${process.pid} running.`, metrics: { cpuPercent, rssBytes, pid: process.pid } };
  }
}
