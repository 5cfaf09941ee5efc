import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';

/**
 * The OpenAPI Initiative's JSON Schema of OpenAPI 3.1 documents (`openapi-3.1.schema.json`, id
 * https://spec.openapis.org/oas/3.1/schema/2022-10-07, Apache-2.0, copied from the openapi-spec-validator 0.9.0
 * package), compiled with Ajv's JSON Schema 2020-12. Its Schema Objects are reached through `$dynamicRef: "#meta"`;
 * Ajv does not carry evaluated properties through a dynamic reference, so every valid Schema Object would fail
 * the surrounding `unevaluatedProperties: false`. The reference is replaced by the static `$ref` it resolves to for
 * documents that set no `jsonSchemaDialect` (ours sets none); the schemas themselves are compiled separately.
 */
export function openApi31Validator() {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'openapi-3.1.schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"')) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(schema);
}
