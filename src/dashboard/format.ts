/** How the dashboard shows times: UTC, to the minute, the same on every page and in every browser. */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
