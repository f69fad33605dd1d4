/**
 * `npm run bench:report [-- results/<file>.json]`: regenerates bench/REPORT.md and its charts from a results
 * file (bench/results/latest.json by default) without running anything.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from './report/write-report.ts';
import { loadResults, RESULTS_DIR } from './results.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(process.argv[2] ?? path.join(RESULTS_DIR, 'latest.json'));
const report = await writeReport(loadResults(file), path.relative(here, file));
console.error(
  `[bench] report: ${path.relative(process.cwd(), report)} from ${path.relative(process.cwd(), file)}`,
);
