import type { AlarmView } from '../../shared/domain/alarms';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { InboundAlarmInput } from '../../shared/ipc/integrations.contract';
import type { Db } from '../storage/database';
import type { AlarmStore } from './alarm-store';

/** Options of the inbound path. */
export interface InboundAlarmsOptions {
  db: Db;
  store: AlarmStore;
  cameraExists: (id: string) => boolean;
  now?: () => number;
}

/**
 * Alarms raised by other systems (access control, fire and intruder panels) through the HTTP API or an MQTT
 * topic. They open through AlarmStore's public `open` as site-level system alarms (condition `external-alarm`,
 * subject `external:<source>:<event id>`, the sender's text and camera in `detail`), so they walk the same
 * lifecycle, escalation, history, audit and export as every other alarm.
 *
 * De-dup: the sender's own event id. The first message of a (source, event id) pair opens an alarm and records
 * the pair in `inbound_alarm_keys` in the same transaction; any later message with that pair (a retry, a
 * duplicate delivery, the same event days later after the alarm was closed) changes nothing and answers with the
 * alarm it raised.
 */
export class InboundAlarms {
  private readonly now: () => number;

  constructor(private readonly o: InboundAlarmsOptions) {
    this.now = o.now ?? Date.now;
  }

  raise(input: InboundAlarmInput, by: string): { created: boolean; alarm: AlarmView } {
    if (input.cameraId !== undefined && !this.o.cameraExists(input.cameraId)) throw new AppErrorException('not-found', `There is no camera "${input.cameraId}".`);
    const { db, store } = this.o;
    return db.transaction(() => {
      const known = db.prepare('SELECT alarm_id FROM inbound_alarm_keys WHERE source = ? AND event_id = ?').get(input.source, input.eventId) as { alarm_id: string } | undefined;
      if (known) {
        const alarm = store.get(known.alarm_id);
        if (alarm) return { created: false, alarm };
      }
      const change = store.open(
        {
          kind: 'system',
          priority: input.priority,
          detail: { condition: 'external-alarm', source: input.source, eventId: input.eventId, text: input.text, cameraId: input.cameraId ?? null },
        },
        by,
      );
      db.prepare('INSERT OR REPLACE INTO inbound_alarm_keys (source, event_id, alarm_id, created_ms) VALUES (?, ?, ?, ?)').run(input.source, input.eventId, change.alarm.id, this.now());
      return { created: true, alarm: change.alarm };
    })();
  }
}
