import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** What axe-core finds wrong on the page as it is now, one line a violation naming the view ([] when none). */
export async function axeViolations(page: Page, view: string): Promise<string[]> {
  // Every rule runs; only violations are collected in detail (passes are counted, not described): the same
  // findings, a fraction of the time.
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  return violations.map(
    (v) => `${view}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}
