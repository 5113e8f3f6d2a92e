/**
 * Watches the event loop while `work` runs: the longest gap between two ticks of a 5 ms timer.
 * A server that blocks (a synchronous wait, a long computation) shows it as a long pause.
 */
export async function longestPause<T>(work: Promise<T>): Promise<{ value: T; pauseMs: number }> {
  let last = Date.now();
  let pauseMs = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    pauseMs = Math.max(pauseMs, now - last);
    last = now;
  }, 5);
  try {
    return { value: await work, pauseMs };
  } finally {
    clearInterval(timer);
  }
}
