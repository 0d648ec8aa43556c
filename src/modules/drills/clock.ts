/** The parts of a drill its clock is computed from. */
export interface DrillClockState {
  startedAt: Date | null;
  pausedAt: Date | null;
  pausedMs: number;
  endedAt: Date | null;
}

/**
 * Drill time at a wall-clock instant: time since the start, less every pause. Stops at the end; before the
 * start it is 0. Pausing therefore shifts every scheduled inject and escalation clock.
 */
export function drillTimeAt(drill: DrillClockState, wall: Date): number {
  if (!drill.startedAt) return 0;
  const until = Math.min(wall.getTime(), drill.endedAt?.getTime() ?? Infinity, drill.pausedAt?.getTime() ?? Infinity);
  return Math.max(0, until - drill.startedAt.getTime() - drill.pausedMs);
}
