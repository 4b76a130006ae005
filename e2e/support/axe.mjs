// Accessibility checks with axe-core on WCAG 2.0/2.1 A and AA rules. A serious or critical
// violation fails the test, printed so a person can act on it; moderate and minor ones are
// returned for the caller to report.
import { AxeBuilder } from '@axe-core/playwright';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => {
          const summary = (n.failureSummary || '').replace(/\s*\n\s*/g, ' ');
          return `    at ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${summary}`;
        })
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

// Runs axe on the page as it is now. `label` names the page in the failure message.
export async function checkAccessibility(page, { label = page.url(), exclude = [], disableRules = [] } = {}) {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of exclude) builder = builder.exclude(selector);
  if (disableRules.length) builder = builder.disableRules(disableRules);
  const results = await builder.analyze();
  const blocking = results.violations.filter((v) => BLOCKING.has(v.impact));
  if (blocking.length) {
    throw new Error(
      `Accessibility (WCAG 2.1 AA) problems on ${label}:\n${formatViolations(blocking)}`,
    );
  }
  return {
    passes: results.passes.length,
    minor: results.violations.filter((v) => !BLOCKING.has(v.impact)),
  };
}
