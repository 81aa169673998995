// --tags / --skip-tags selection with Ansible's special tags: always, never, tagged, untagged, all.

export interface TagFilter {
  only: string[]; // --tags (default ['all'])
  skip: string[]; // --skip-tags
}

export function splitTagArgs(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean);
}

/** Ansible's Taggable.evaluate_tags: an untagged task carries the implicit tag "untagged". */
export function tagsSelected(taskTags: readonly string[], filter: TagFilter): boolean {
  const tags = new Set(taskTags.length ? taskTags : ['untagged']);
  const untagged = taskTags.length === 0;
  const meets = (list: string[]) => list.some((t) => tags.has(t));
  let run = true;
  if (filter.only.length) {
    run =
      tags.has('always') ||
      (filter.only.includes('all') && !tags.has('never')) ||
      meets(filter.only) ||
      (filter.only.includes('tagged') && !untagged && !tags.has('never'));
  }
  if (run && filter.skip.length) {
    if (filter.skip.includes('all')) {
      if (!tags.has('always') || filter.skip.includes('always')) run = false;
    } else if (meets(filter.skip)) run = false;
    else if (filter.skip.includes('tagged') && !untagged) run = false;
  }
  return run;
}
