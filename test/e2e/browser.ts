import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.js';

/** Debian's Chromium, headless, with the flags a closed network needs (see the README). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: set CHROMIUM_PATH or install Debian chromium');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
