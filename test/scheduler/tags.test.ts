import { describe, expect, it } from 'vitest';
import { tagsSelected } from '../../engine/scheduler/tags.js';

const sel = (tags: string[], only: string[] = ['all'], skip: string[] = []) => tagsSelected(tags, { only, skip });

describe('tag selection (Taggable.evaluate_tags)', () => {
  it('runs everything but never by default', () => {
    expect(sel([])).toBe(true);
    expect(sel(['x'])).toBe(true);
    expect(sel(['never'])).toBe(false);
    expect(sel(['never', 'debug'], ['debug'])).toBe(true);
  });
  it('always runs unless skipped explicitly', () => {
    expect(sel(['always'], ['other'])).toBe(true);
    expect(sel(['always'], ['all'], ['always'])).toBe(false);
    expect(sel(['always'], ['all'], ['all'])).toBe(true);
  });
  it('tagged / untagged', () => {
    expect(sel([], ['untagged'])).toBe(true);
    expect(sel(['a'], ['untagged'])).toBe(false);
    expect(sel(['a'], ['tagged'])).toBe(true);
    expect(sel([], ['tagged'])).toBe(false);
    expect(sel(['a'], ['all'], ['tagged'])).toBe(false);
  });
  it('skip-tags wins over tags', () => {
    expect(sel(['a', 'b'], ['a'], ['b'])).toBe(false);
    expect(sel(['a'], ['a'], ['b'])).toBe(true);
  });
});
