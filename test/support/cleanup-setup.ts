// Vitest setupFiles entry: after each test file, remove the temporary directories its tests made
// through tempDir(), whether the tests passed or failed.
import { afterAll } from 'vitest';
import { removeTempDirs } from './tmp.js';

afterAll(() => removeTempDirs());
