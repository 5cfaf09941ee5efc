/** Strings of recording: the camera form's Recording section and Settings → Recording storage. */
export const enRecording = {
  recording: {
    title: 'Recording',
    mode: 'Record',
    modes: { continuous: 'All the time', events: 'Only around events', off: 'Off' } as Record<string, string>,
    modeHint: 'Video is kept as the camera sends it (no re-encoding). "Only around events" keeps the seconds before and after each event.',
    preRoll: 'Seconds before an event',
    postRoll: 'Seconds after an event',
    retentionDays: 'Keep recordings for (days)',
    retentionHint: 'Leave empty to keep them until the storage limit needs the room.',
    eventRetentionDays: 'Keep event footage for (days)',
    schedule: {
      title: 'When to record',
      always: 'Every day, all day',
      setTimes: 'Only at set times of the week',
      alwaysHint: 'The camera records around the clock (in the way chosen above).',
      setTimesHint: 'The camera records only inside these times (on this computer’s clock). An end time earlier than the start runs past midnight into the next day.',
      days: { 0: 'Sun', 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat' } as Record<number, string>,
      from: 'From',
      to: 'to',
      overnight: 'ends the next day',
      untilMidnight: 'until midnight',
      window: (n: number) => `Times ${n}`,
      add: 'Add times',
      remove: 'Remove',
      noWindows: 'Add at least one time of the week, or choose "Every day, all day".',
      noDays: (n: number) => `Times ${n}: tick at least one day.`,
      badTime: (n: number) => `Times ${n}: enter both times as hours and minutes.`,
      sameTime: (n: number) => `Times ${n}: the start and the end are the same time.`,
    },
    save: 'Save recording',
    saved: 'Recording settings saved.',
    newCamera: 'A new camera records all the time for 30 days. Change this after saving the camera.',
    badNumber: 'Enter a whole number in range.',
    storageTitle: 'Recording storage',
    storageHelp: 'When recordings reach the limit, or the disk gets too full, the oldest recordings are removed first. If nothing more can be removed, recording stops and an alarm is raised; live view and detection go on.',
    quotaGb: 'Most space for recordings (GiB, 0 = no limit)',
    minFreeMb: 'Always keep free on the disk (MiB)',
    storageSave: 'Save storage limits',
    storageSaved: 'Storage limits saved.',
    usage: (used: string, free: string | null, segments: number) => `Recordings take ${used}${free ? `; ${free} free on the disk` : ''} (${segments.toLocaleString('en')} ${segments === 1 ? 'file' : 'files'}).`,
    stopped: 'Recording is stopped: there is no room. Raise the limit or free disk space.',
    cameraUsage: (name: string, used: string, on: boolean) => `${name}: ${used}${on ? ', recording now' : ''}`,
  },
};

/** Bytes for people: MiB below a GiB, else GiB with one decimal. */
export function formatBytes(bytes: number): string {
  return bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(0)} MiB` : `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
