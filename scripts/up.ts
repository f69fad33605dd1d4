// `npm run up`: the local control plane with prismgate running against it.
import { runInForeground } from '../test/control-plane/foreground.ts';

await runInForeground('up');
