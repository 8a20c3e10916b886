/** Agent timestamps as Neutron shows them: `YYYY-MM-DD HH:MM:SS`, UTC (not the standard attributes' `…T…Z`). */
export function agentTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The oldest heartbeat that still counts as alive at `now`: alive ⇔ heartbeat_timestamp ≥ this. Stored timestamps
 * have one fixed format, so the comparison is a plain string comparison, in SQL as in code.
 */
export function aliveSince(now: Date, agentDownTimeSeconds: number): string {
  return agentTimestamp(new Date(now.getTime() - agentDownTimeSeconds * 1000));
}
