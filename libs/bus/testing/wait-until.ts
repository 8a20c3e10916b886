/** Resolves once `check()` holds, polling every 5 ms; throws after `ms`. For the bus specs' deliveries. */
export async function waitUntil(check: () => boolean, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
