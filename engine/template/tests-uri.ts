// ansible-core 2.14's plugins/test/uri.py: uri, url and urn, on Python's urlparse (so
// "admin:secret@example.com" is a URI with scheme "admin" but not a URL: it has no netloc).
import { pyUrlsplit } from './filters-urls.js';
import { pyIn } from './ops.js';
import { pythonTruthy } from './python.js';
import { addTests, arg } from './registry.js';

/** is_uri: parses, and its scheme is one of `schemes` when they are given. */
function isUri(v: unknown, schemes: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const { scheme } = pyUrlsplit(v);
    return !pythonTruthy(schemes ?? null) || pyIn(scheme, schemes);
  } catch {
    return false;
  }
}

addTests({
  uri: (v, a, kw) => isUri(v, arg(a, kw, 0, 'schemes', null)),
  url: (v, a, kw) => {
    if (!isUri(v, arg(a, kw, 0, 'schemes', null))) return false;
    const { scheme, netloc } = pyUrlsplit(v as string);
    return Boolean(netloc) || scheme === 'file';
  },
  urn: (v) => isUri(v, ['urn']),
});
