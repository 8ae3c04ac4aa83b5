/** The wall clock, read only here (drivers and the composition root), never in cores. */
export function wallClock(): number {
  return Date.now();
}
