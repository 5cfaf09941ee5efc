/** Strings of Settings → Site (admin): the site's name, time zone and shifts. */
export const enSite = {
  site: {
    title: 'Site',
    help: 'The name printed on every report, the time zone times are shown in and days are counted in, and the times your shifts start. Reports made after saving use these.',
    name: 'Site name',
    zone: 'Time zone',
    zoneHelp: 'Type part of a city or region to search, e.g. Berlin or Kolkata.',
    zoneUnknown: (z: string) => `"${z}" is not a time zone in the list. Type part of a city name and pick one.`,
    now: (time: string) => `Time there now: ${time}`,
    shifts: 'Shifts start at',
    shiftsHelp: 'A shift runs from one start to the next; the last one runs into the next day.',
    shiftLabel: (n: number) => `Shift ${n} starts at`,
    addShift: 'Add a shift',
    removeShift: (n: number) => `Remove shift ${n}`,
    save: 'Save site settings',
    saved: 'Saved. New reports use these settings.',
    duplicate: 'Two shifts start at the same time.',
  },
};
