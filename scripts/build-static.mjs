#!/usr/bin/env node
// Copies the Designsystemet CSS and theme from node_modules into static/vendor/.
// Run through `npm run build` (or `make static`); static/vendor/ is generated and gitignored.
import { copyFile, mkdir, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const modules = path.join(root, "node_modules");
const vendor = path.join(root, "static", "vendor");

// [package, file inside the package, name in static/vendor/]
const files = [
  ["@digdir/designsystemet-css", "dist/src/index.css", "designsystemet.css"],
  ["@digdir/designsystemet-css", "LICENSE", "designsystemet-css.LICENSE"],
  ["@digdir/designsystemet-theme", "brand/digdir.css", "theme.css"],
  ["@digdir/designsystemet-theme", "LICENSE", "designsystemet-theme.LICENSE"],
  // In-place updates for forms that also work without it (the ballot); the CSP allows only 'self'.
  ["htmx.org", "dist/htmx.min.js", "htmx/htmx.min.js"],
  ["htmx.org", "LICENSE", "htmx/LICENSE"],
  // Self-hosted API docs: the CSP allows no CDN.
  ["swagger-ui-dist", "swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist", "LICENSE", "swagger-ui/LICENSE"],
];

async function packageVersion(name) {
  const manifest = JSON.parse(await readFile(path.join(modules, name, "package.json"), "utf8"));
  return manifest.version;
}

async function main() {
  await mkdir(vendor, { recursive: true });
  for (const [pkg, source, target] of files) {
    const from = path.join(modules, pkg, source);
    const to = path.join(vendor, target);
    await mkdir(path.dirname(to), { recursive: true });
    if (target.endsWith(".css")) {
      // The files are served as they are: an @import would point at a path that is not copied.
      const css = await readFile(from, "utf8");
      if (/@import\b/.test(css)) {
        throw new Error(`${pkg}/${source} contains @import; the build copies single files only`);
      }
    }
    // Copy then rename, so the server never sees a half-written file.
    const partial = `${to}.partial`;
    await copyFile(from, partial);
    await rename(partial, to);
    console.log(`${pkg}@${await packageVersion(pkg)} ${source} -> static/vendor/${target}`);
  }
}

main().catch((error) => {
  if (error && error.code === "ENOENT") {
    console.error(`build-static: missing ${error.path}; run \`npm ci\` first.`);
  } else {
    console.error(`build-static: ${error && error.message ? error.message : error}`);
  }
  process.exit(1);
});
