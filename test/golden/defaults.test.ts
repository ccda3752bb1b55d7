import { describe, it } from 'vitest';
import { GOLDEN_DEFAULTS } from './defaults.js';
import { expectGolden } from './expect-golden.js';

/** The defaults themselves, committed: a changed rule value or field owner is a diff a reviewer accepts. */
describe('the committed defaults', () => {
  it.each(GOLDEN_DEFAULTS)('$name', (golden) => expectGolden(golden));
});
