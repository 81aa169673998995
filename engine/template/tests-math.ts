// ansible-core 2.14's plugins/test/mathstuff.py: subset/superset (Python sets, so unhashable
// items are an error), contains (the `in` test reversed, for selectattr) and nan.
import { iterate } from './methods.js';
import { pyIn } from './ops.js';
import { pySet } from './pyset.js';
import { addTests, tests } from './registry.js';

/** set(a) <= set(b) */
function subset(a: unknown, b: unknown): boolean {
  const [x, y] = [pySet(iterate(a)), pySet(iterate(b))];
  return [...x].every((item) => pyIn(item, y));
}

addTests({
  subset: (v, a) => subset(v, a[0]),
  superset: (v, a) => subset(a[0], v),
  contains: (v, a) => pyIn(a[0], v),
  // math.isnan; anything that is not a number is simply not NaN
  nan: (v) => typeof v === 'number' && Number.isNaN(v),
});

tests.set('issubset', tests.get('subset')!);
tests.set('issuperset', tests.get('superset')!);
tests.set('isnan', tests.get('nan')!);
