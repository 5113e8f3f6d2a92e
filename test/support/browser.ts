import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install -y chromium); never a downloaded browser. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * CI sets INKAN_TEST_REQUIRE_BROWSER=1 (and installs Chromium): there a missing browser fails.
 * On a machine without Chromium the browser suites are skipped.
 */
export const BROWSER_AVAILABLE = existsSync(CHROMIUM);
export const RUN_BROWSER_TESTS =
  BROWSER_AVAILABLE || process.env['INKAN_TEST_REQUIRE_BROWSER'] === '1';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
