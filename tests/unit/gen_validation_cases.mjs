#!/usr/bin/env node
// Regenerates tests/unit/test_validation_cases.h: per-rule validation cases against the
// graphql-js harness schema, with graphql-js 16.15.0's answer as the expected JSON.
//   GRAPHQL_JS_DIR=tests/node_modules node tests/unit/gen_validation_cases.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const here = path.dirname(new URL(import.meta.url).pathname);
const base = process.env.GRAPHQL_JS_DIR ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js') : path.join(here, '..', 'node_modules', 'x.js');
const { parse, buildSchema, validate } = createRequire(base)('graphql');
const sdl = fs.readFileSync(path.join(here, '..', 'differential', 'validation', 'harness', 'schema.graphql'), 'utf8');
const schema = buildSchema(sdl);

// [test name, document]
const cases = [
  ['executable_definitions', 'query Foo { dog { name } }\ntype Cow { name: String }\nextend type Dog { color: String }\nschema { query: QueryRoot }'],
  ['unique_operation_names', 'query Foo { dog { name } }\nquery Foo { cat { name } }\nmutation Foo { x }'],
  ['lone_anonymous_operation', '{ dog { name } }\n{ cat { name } }\nquery Q { pet { name } }'],
  ['single_field_subscriptions', 'subscription S { dog { name } cat { name } }'],
  ['known_type_names', 'query Foo($var: Strin, $b: [Bool!]) { dog { ... on Dogg { name } } }\nfragment F on Peat { name }'],
  ['fragments_on_composite_types', 'fragment A on Boolean { x }\n{ dog { ... on FurColor { x } } }'],
  ['variables_are_input_types', 'query Foo($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { dog { name } }'],
  ['scalar_leafs', '{ dog { name { x } } human }\n{ dog { barks(x: 1) @onField { y } } }'],
  ['fields_on_correct_type', '{ dog { meowVolume nam } pet { barks } catOrDog { name } }'],
  ['unique_fragment_names', '{ dog { ...F } }\nfragment F on Dog { name }\nfragment F on Dog { barks }'],
  ['known_fragment_names', '{ dog { ...Unknown ... on Dog { ...Other } } }'],
  ['no_unused_fragments', 'query Q { dog { ...A } }\nfragment A on Dog { ...B }\nfragment B on Dog { name }\nfragment C on Dog { name }\nfragment D on Cat { ...C }'],
  ['possible_fragment_spreads', '{ dog { ...CatF ... on Cat { meows } } }\nfragment CatF on Cat { meows }'],
  ['no_fragment_cycles', '{ dog { ...A } }\nfragment A on Dog { ...B }\nfragment B on Dog { ...C ...A }\nfragment C on Dog { ...A ...C }'],
  ['unique_variable_names', 'query Q($a: Int, $b: Int, $a: String, $b: Int, $a: Int) { dog { name } }'],
  ['no_undefined_variables', 'query Q($a: Boolean) { dog { isHousetrained(atOtherHomes: $b) ...F } }\nquery { human(id: $id) { name } }\nfragment F on Dog { isHouseTrained(atOtherHomes: $c) }'],
  ['no_unused_variables', 'query Q($a: Int, $b: Int) { dog { ...F } }\nquery ($c: Boolean) { dog { name } }\nfragment F on Dog { isHousetrained(atOtherHomes: $b) }'],
  ['known_directives', 'query Q @onField { dog @unknown { name @onField @skip(if: true) } }\nfragment F on Dog @include(if: true) { name }'],
  ['unique_directives_per_location', '{ dog @skip(if: true) @skip(if: false) { name @onField @onField @onField } }'],
  ['known_argument_names', '{ dog { doesKnowCommand(dogCommnd: SIT) name(surnam: true) @skip(iff: true, if: true) } }'],
  ['unique_argument_names', '{ dog { doesKnowCommand(dogCommand: SIT, dogCommand: HEEL, dogCommand: DOWN) @skip(if: true, if: false) } }'],
  ['values_of_correct_type_scalars', '{ complicatedArgs { intArgField(intArg: 1.5) a: intArgField(intArg: 3000000000) floatArgField(floatArg: "x") stringArgField(stringArg: 1) booleanArgField(booleanArg: 0) idArgField(idArg: 1.0) } }'],
  ['values_of_correct_type_enums', '{ complicatedArgs { enumArgField(enumArg: "BROWN") b: enumArgField(enumArg: brown) c: enumArgField(enumArg: BLACKK) } }'],
  ['values_of_correct_type_objects', '{ complicatedArgs { complexArgField(complexArg: { requiredField: true, nonNullField: true, unknownField: 1, intField: null }) b: complexArgField(complexArg: {}) c: complexArgField(complexArg: [1]) d: stringListNonNullArgField(stringListNonNullArg: [null, "a"]) } }'],
  ['values_of_correct_type_one_of', '{ complicatedArgs { a: oneOfArgField(oneOfArg: { stringField: "a", intField: 1 }) b: oneOfArgField(oneOfArg: { stringField: null }) c: oneOfArgField(oneOfArg: {}) } }'],
  ['provided_required_arguments', '{ complicatedArgs { multipleReqs multipleOptAndReq(req1: 1) nonNullFieldWithDefault } dog @include { name } }'],
  ['variables_in_allowed_position', 'query Q($a: Int, $b: String, $c: [String], $d: Int = 1, $e: String) { complicatedArgs { nonNullIntArgField(nonNullIntArg: $a) stringListNonNullArgField(stringListNonNullArg: $c) intArgField(intArg: $b) b: nonNullIntArgField(nonNullIntArg: $d) oneOfArgField(oneOfArg: { stringField: $e }) } }'],
  ['overlapping_fields_can_be_merged', '{ dog { name: nickname name } dog { barks: barkVolume } }'],
  ['unique_input_field_names', '{ complicatedArgs { complexArgField(complexArg: { requiredField: true, requiredField: false, nonNullField: true, f: { a: 1, a: 2 } }) } }'],
  ['max_introspection_depth', '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }'],
  ['valid_kitchen_sink', 'query Q($id: ID, $skip: Boolean = false) { human(id: $id) { name pets { name ... on Dog { barkVolume } ...CatFields } } dog @skip(if: $skip) { __typename doesKnowCommand(dogCommand: SIT) } }\nfragment CatFields on Cat { meowVolume furColor }'],
];
// Cases against a small schema with a subscription type.
const subSdl = 'type Query { a: Int }\ntype Subscription { a: Int b: Int c(x: Int): Int }\n';
const subSchema = buildSchema(subSdl);
const subCases = [
  ['subscription_two_fields', 'subscription S { a b ...F }\nfragment F on Subscription { c __typename }'],
  ['subscription_anonymous_introspection', 'subscription { __typename }'],
  ['subscription_skip_true', 'subscription { a b @skip(if: true) c @include(if: false) }'],
  ['subscription_skip_variable_throws', 'subscription S($v: Boolean!) { a @skip(if: $v) b x }'],
  ['subscription_include_missing_if_throws', 'subscription S { a @include b }'],
  ['error_cap', '{ ' + Array.from({ length: 120 }, (_, i) => `f${i}`).join(' ') + ' }'],
];

const shape = (e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}) });
const cstr = (s) => JSON.stringify(s).replace(/\?/g, '\\?');
let out = '/* test_validation_cases.h: generated by gen_validation_cases.mjs from graphql-js 16.15.0; do not edit. */\n';
out += `static const char harness_sdl[] =\n${sdl.split('\n').map((l) => '    ' + cstr(l + '\n')).join('\n')};\n\n`;
out += `static const char sub_sdl[] = ${cstr(subSdl)};\n\n`;
out += 'struct vcase { const char *name; const char *doc; const char *expected; };\n';
function emit(cname, list, sch) {
  out += `static const struct vcase ${cname}[] = {\n`;
  for (const [name, doc] of list) {
    let errors;
    try {
      errors = validate(sch, parse(doc));
    } catch (e) {
      errors = [e];
    }
    out += `    {${cstr(name)},\n     ${cstr(doc)},\n     ${cstr(JSON.stringify(errors.map(shape)))}},\n`;
  }
  out += '};\n';
}
emit('vcases', cases, schema);
emit('sub_cases', subCases, subSchema);
fs.writeFileSync(path.join(here, 'test_validation_cases.h'), out);
