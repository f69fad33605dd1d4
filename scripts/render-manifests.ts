// `npm run manifests`: regenerates manifests/deploy/registration.yaml from the code that registers prismgate.
import { writeFileSync } from 'node:fs';
import { renderStaticRegistration } from '../src/static-registration.ts';

writeFileSync('manifests/deploy/registration.yaml', renderStaticRegistration());
console.log('wrote manifests/deploy/registration.yaml');
