/**
 * `npm run bench:report [-- results/<file>.json]`: regenerates bench/REPORT.md and its charts from a results
 * file (bench/results/latest.json by default) without running anything.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from './report/write-report.ts';
import { loadResults, RESULTS_DIR } from './results.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// As the report's header writes it (`results/<file>.json`, under bench/), or a path from here.
const given = process.argv[2];
const file = !given
  ? path.join(RESULTS_DIR, 'latest.json')
  : existsSync(path.resolve(given))
    ? path.resolve(given)
    : path.resolve(here, given);
const report = await writeReport(loadResults(file), path.relative(here, file));
console.error(
  `[bench] report: ${path.relative(process.cwd(), report)} from ${path.relative(process.cwd(), file)}`,
);
