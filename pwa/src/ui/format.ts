// Dates and times as the app shows them (Danish).

/** "3. dec. kl. 19.12" */
export function when(value: unknown): string {
  const d = new Date(String(value));
  const date = d.toLocaleDateString("da-DK", { day: "numeric", month: "short" });
  const time = d.toLocaleTimeString("da-DK", { hour: "2-digit", minute: "2-digit" });
  return `${date} kl. ${time}`;
}
