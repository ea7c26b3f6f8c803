import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { categoriesSchema } from '../../config/categories.schema.js';
import { parseYamlFile } from '../../config/loader.js';
import { routingSchema } from '../../config/routing.schema.js';
import { fc, fuzzParams, hostileString, leastCpuMs } from '../support/fuzz.js';

/** Mutations of the shipped file: a line dropped, doubled, truncated or replaced by hostile text. */
function mutated(text: string): fc.Arbitrary<string> {
  const lines = text.split('\n');
  return fc
    .array(fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('drop', 'double', 'truncate', 'replace', 'indent'), hostileString(200)), {
      minLength: 1,
      maxLength: 5,
    })
    .map((edits) => {
      const out = lines.slice();
      for (const [i, kind, junk] of edits) {
        const line = out[i] ?? '';
        if (kind === 'drop') out.splice(i, 1);
        else if (kind === 'double') out.splice(i, 0, line);
        else if (kind === 'truncate') out[i] = line.slice(0, Math.floor(line.length / 2));
        else if (kind === 'replace') out[i] = junk;
        else out[i] = `   ${line}`;
      }
      return out.join('\n');
    });
}

/** YAML that attacks the parser: alias bombs, deep nesting, huge scalars, tags. */
const hostileYaml = fc.oneof(
  hostileString(5000),
  fc.constant(
    [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n'),
  ),
  fc.integer({ min: 100, max: 20_000 }).map((n) => 'a: ' + '['.repeat(n) + ']'.repeat(n)),
  fc.constant('rules: !!js/function "function(){}"'),
  fc.integer({ min: 1, max: 500_000 }).map((n) => `rules: "${'x'.repeat(n)}"`),
);

describe('fuzz: YAML config a lead edits', function () {
  this.timeout(120_000);
  const files = [
    { name: 'routing.yaml', schema: routingSchema },
    { name: 'categories.yaml', schema: categoriesSchema },
  ];

  for (const { name, schema } of files) {
    it(`${name}: a damaged or hostile file is reported as problems with a line, never thrown, never a hang`, function () {
      const text = readFileSync(`config/${name}`, 'utf8');
      fc.assert(
        fc.property(fc.oneof(mutated(text), hostileYaml), (yaml) => {
          // CPU this process spent, not wall time, and the least of up to three parses: other work on a busy machine is no
          // hang of ours, and a parse that blows up does so every time.
          const { ms, result } = leastCpuMs(() => parseYamlFile(name, yaml, schema), 2_000);
          expect(ms, 'parse CPU time (ms)').to.be.below(2_000);
          if (!result.ok) {
            expect(result.problems.length).to.be.above(0);
            for (const p of result.problems)
              expect(p.reason)
                .to.be.a('string')
                .and.not.match(/\n\s+at /);
          }
        }),
        fuzzParams(),
      );
    });
  }
});
