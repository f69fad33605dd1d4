// `npm run cluster`: the local control plane alone, in the foreground.
import { runInForeground } from './foreground.ts';

await runInForeground('cluster');
