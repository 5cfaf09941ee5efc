import type { AlarmView } from '../../../shared/domain/alarms';
import { t } from '../i18n/en';
import { selectBulkNote, selectChecked, selectOpenAlarms } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';

/** Tick several open alarms and acknowledge or close them together (one call, and one audit row, per alarm). */
export function BulkBar({ shown }: { shown: readonly AlarmView[] }) {
  const checked = useRoot(selectChecked);
  const note = useRoot(selectBulkNote);
  const open = useRoot(selectOpenAlarms);
  const { checkAlarms, acknowledgeChecked, setBulkClosing } = useActions();
  const ticked = open.filter((a) => checked.includes(a.id));
  const canAck = ticked.filter((a) => a.status === 'new').length;
  const canClose = ticked.filter((a) => a.status !== 'new').length;
  return (
    <div className="bulk-bar" data-testid="bulk-bar" data-checked={checked.length}>
      <button type="button" className="btn btn--small" onClick={() => checkAlarms(shown.filter((a) => a.status === 'new').map((a) => a.id))} data-testid="check-all-new">
        {t.alarms.selectAllNew}
      </button>
      <button type="button" className="btn btn--small" onClick={() => checkAlarms(shown.map((a) => a.id))} data-testid="check-all">
        {t.alarms.selectAllOpen}
      </button>
      {checked.length > 0 && (
        <>
          <span className="muted small" data-testid="checked-count">
            {t.alarms.selectedCount(checked.length)}
          </span>
          {canAck > 0 && (
            <button type="button" className="btn btn--small btn--primary" onClick={() => void acknowledgeChecked()} data-testid="acknowledge-checked">
              {t.alarms.acknowledgeSelected(canAck)}
            </button>
          )}
          {canClose > 0 && (
            <button type="button" className="btn btn--small btn--danger-outline" onClick={() => setBulkClosing(true)} data-testid="close-checked">
              {t.alarms.closeSelected(canClose)}
            </button>
          )}
          <button type="button" className="btn btn--small" onClick={() => checkAlarms([])} data-testid="check-none">
            {t.alarms.clearSelection}
          </button>
        </>
      )}
      {note && (
        <span className="muted small" role="status" data-testid="bulk-note">
          {note}
        </span>
      )}
    </div>
  );
}
