import { plugin } from 'bun';
import { compile, compileModule } from 'svelte/compiler';

// `bun test` cannot read runes or components by itself: this compiles them as the server build would, so the
// tests run the same code the apps render.
plugin({
  name: 'svelte',
  setup(build) {
    const transpiler = new Bun.Transpiler({ loader: 'ts' });
    build.onLoad({ filter: /\.svelte\.ts$/ }, async ({ path }) => {
      const js = transpiler.transformSync(await Bun.file(path).text());
      return { contents: compileModule(js, { filename: path, generate: 'server' }).js.code, loader: 'js' };
    });
    build.onLoad({ filter: /\.svelte$/ }, async ({ path }) => {
      const { js } = compile(await Bun.file(path).text(), {
        filename: path,
        generate: 'server',
        runes: true,
      });
      return { contents: js.code, loader: 'js' };
    });
  },
});
