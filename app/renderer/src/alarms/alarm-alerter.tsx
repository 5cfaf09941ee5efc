import { useEffect, useRef } from 'react';
import { selectLastAlarmChange } from '../store/alarms/alarms.selectors';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { useRoot } from '../store/store';
import { alertFor } from './alarm-alerts';
import { notificationText } from './alarm-text';

/** Plays the sound and shows the notification of each alarm that opens or escalates (renders nothing). */
export function AlarmAlerter() {
  const change = useRoot(selectLastAlarmChange);
  const cameras = useRoot(selectCameras);
  const camerasRef = useRef(cameras);
  camerasRef.current = cameras;
  const seen = useRef(0);
  useEffect(() => {
    if (!change || change.seq <= seen.current) return;
    seen.current = change.seq;
    alertFor(change, (a) => notificationText(a, camerasRef.current));
  }, [change]);
  return null;
}
