/** Neutron's standard-attribute timestamp format: YYYY-MM-DDTHH:MM:SSZ (UTC, no fraction). */
export function neutronTimestamp(date = new Date()): string {
  return date.toISOString().slice(0, 19) + 'Z';
}
