import { describe, it } from 'vitest';
import { GOLDEN_RESULTS } from './results.js';
import { expectGolden } from './expect-golden.js';

/**
 * Golden tests for what the defaults produce: a change to any default rule or weight shows here
 * as a diff that a reviewer accepts on purpose with `npm run golden:update` (it prints what moved).
 */
describe('the default rules give the committed results', () => {
  it.each(GOLDEN_RESULTS)('$name', (golden) => expectGolden(golden), 120_000);
});
