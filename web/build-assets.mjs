// Builds web/static/govuk/ from the npm packages that `npm ci` installed:
//   govuk-frontend.min.css   GOV.UK Frontend compiled with web/styles/govuk-frontend.scss
// Run from the repository root: `node web/build-assets.mjs` (tools/setup and the build do).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'web', 'static', 'govuk');
const sass = await import('sass');

const result = sass.compile(join(root, 'web', 'styles', 'govuk-frontend.scss'), {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  sourceMap: false,
  quietDeps: true,
});
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'govuk-frontend.min.css'), result.css + '\n');
console.log(`build-assets: wrote ${join('web', 'static', 'govuk')}/govuk-frontend.min.css`);
