#!/usr/bin/env node
// Generates tests/unit/test_schema_cases.h: SDL cases with what graphql-js 16.15.0
// answers for them, pasted as C literals for tests/unit/test_schema.c.
//   GRAPHQL_JS_DIR=tests/node_modules node tests/unit/gen_schema_cases.mjs > tests/unit/test_schema_cases.h
// Each case is printSchema(buildSchema(sdl)) when valid, else the JSON of the errors
// graphql-js reports ({"message","locations"}, as gql_error_list_to_json writes them):
// the SDL validation errors, the error buildASTSchema throws, or validateSchema's.
import path from 'node:path';
import { createRequire } from 'node:module';

const base = process.env.GRAPHQL_JS_DIR
  ? path.resolve(process.env.GRAPHQL_JS_DIR, 'x.js')
  : path.join(process.cwd(), 'x.js');
const require = createRequire(base);
const g = require('graphql');
const { validateSDL } = require('graphql/validation/validate');

const cases = [
  // ---- printing ----
  ['print_simple', 'type Query { a: Int b(x: String = "d"): [String!]! }'],
  ['print_descriptions', '"""\nQuery doc\n"""\ntype Query {\n  "field doc"\n  a(\n    "arg doc"\n    x: Int\n    y: Int\n  ): Int\n  "ends with quote\\""\n  b: Int\n  "\\u0001 control"\n  c: Int\n}\n"enum doc" enum E { "v doc" A B "c doc" C }\n"input doc" input I { "f" f: Int g: Int }\n"dir doc" directive @d("a doc" a: Int) repeatable on FIELD | QUERY'],
  ['print_schema_definition', 'schema { query: Root mutation: Mutation } type Root { a: Int } type Mutation { a: Int }'],
  ['print_described_schema', '"d" schema { query: Query } type Query { a: Int }'],
  ['print_defaults', 'type Query { f(a: Float = 1.0, b: ID = "7", c: [Int] = 3, d: E = B, e: In = {y: 2}, g: String = """blk""", h: Int = "bad"): Int }\nenum E { A B }\ninput In { x: Int = 1 y: Int z: [E] = A }'],
  ['print_deprecated', 'type Query { a: Int @deprecated b: Int @deprecated(reason: "No longer supported") c: Int @deprecated(reason: "why \\"not\\"") d(x: Int @deprecated): Int } enum E { A @deprecated B } input I { f: Int @deprecated(reason: "r") }'],
  ['print_specified_by_one_of', 'type Query { a: D b(i: O): Int } scalar D @specifiedBy(url: "https://example.com/d") input O @oneOf { a: Int b: String }'],
  ['print_interfaces_unions', 'type Query { n: Node s: S } interface Node { id: ID! } interface Res implements Node { id: ID! } type A implements Res & Node { id: ID! } type B { b: Int } union S = A | B'],
  ['print_extensions', 'type Query { a: Int } extend type Query { b: Int } enum E { A } extend enum E { B } union U = Query extend union U = T type T { t: E } input I { a: Int } extend input I { b: Int }'],
  ['print_type_order', 'directive @w(x: Float) on FIELD\ntype Query { b: B } type B { id: ID a: A } type A { s: String }'],
  ['print_builtin_redefinitions', 'scalar String directive @skip(if: Boolean) on FIELD type Query { a: String }'],
  ['print_custom_root_names', 'schema { query: Q subscription: S } type Q { a: Int } type S { a: Int }'],
  // ---- SDL validation (assertValidSDL) ----
  ['sdl_lone_schema', 'schema { query: Query } schema { query: Query } type Query { a: Int }'],
  ['sdl_unique_operation_types', 'schema { query: Query query: Query } extend schema { query: Query } type Query { a: Int }'],
  ['sdl_unique_type_names', 'type Query { a: Int } scalar Query enum Query { A }'],
  ['sdl_unique_enum_values', 'type Query { a: E } enum E { A A } extend enum E { A }'],
  ['sdl_unique_field_names', 'type Query { a: Int a: Int } extend type Query { a: Int } input I { x: Int x: Int }'],
  ['sdl_unique_argument_definitions', 'type Query { f(a: Int a: Int): Int } directive @d(b: Int b: Int b: Int) on FIELD'],
  ['sdl_unique_directive_names', 'directive @d on FIELD directive @d on FIELD type Query { a: Int }'],
  ['sdl_known_type_names', 'type Query { a: Strin b: Usr c: Foo } type User { a: Int } query Q($v: Strin) { a }'],
  ['sdl_known_directives', 'type Query @nope { a: Int @skip(if: true) } extend input I { f: Int @deprecated } input I { g: Int @deprecated }'],
  ['sdl_unique_directives_per_location', 'type Query @d { a: Int @deprecated @deprecated } extend type Query @d directive @d on OBJECT'],
  ['sdl_possible_type_extensions', 'type Query { a: Int } extend type Quer { b: Int } extend scalar Query @specifiedBy(url: "x") extend union Query = Query'],
  ['sdl_known_argument_names', 'type Query { a: Int @deprecated(reasn: "x") } directive @d(ab: Int) on FIELD'],
  ['sdl_unique_argument_names', 'type Query { a: Int @deprecated(reason: "a", reason: "b") }'],
  ['sdl_unique_input_field_names', 'input I { a: Int } type Query { f(i: I = {a: 1, a: 2}): Int }'],
  ['sdl_provided_required_arguments', 'directive @d(x: Int!, y: [Int!]!, z: Int! = 1) on SCALAR scalar S @d @specifiedBy type Query { s: S }'],
  // ---- build errors (buildASTSchema throws) ----
  ['build_invalid_deprecation_reason', 'type Query { a: Int @deprecated(reason: 5) }'],
  ['build_null_specified_by_url', 'type Query { a: S } scalar S @specifiedBy(url: null)'],
  ['build_default_of_output_type', 'type Query { a(x: Query = 1): Int }'],
  // ---- validateSchema, one case per message ----
  ['v_query_missing', 'type Foo { a: Int }'],
  ['v_query_not_object', 'schema { query: S } scalar S'],
  ['v_query_not_object_default_name', 'input Query { a: Int }'],
  ['v_mutation_not_object', 'schema { query: Query mutation: S } type Query { a: Int } scalar S'],
  ['v_subscription_not_object', 'type Query { a: Int } union Subscription = Query'],
  ['v_directive_arg_not_input', 'type Query { a: Int } directive @d(x: Query) on FIELD'],
  ['v_directive_required_arg_deprecated', 'type Query { a: Int } directive @d(x: Int! @deprecated) on FIELD'],
  ['v_reserved_names', 'type Query { __a(__b: Int): Int e: __E i(i: __I): Int } enum __E { __V } input __I { __f: Int } directive @__d(__x: Int) on FIELD'],
  ['v_object_without_fields', 'type Query { a: Int } type T extend type T @d directive @d on OBJECT'],
  ['v_field_not_output', 'type Query { a: I } input I { x: Int }'],
  ['v_arg_not_input', 'type Query { a(x: Query): Int }'],
  ['v_required_arg_deprecated', 'type Query { a(x: Int! @deprecated(reason: "r")): Int }'],
  ['v_implements_non_interface', 'type Query { a: Int } type T implements Query { a: Int }'],
  ['v_implements_itself', 'type Query { a: Int } interface I implements I { a: Int }'],
  ['v_implements_twice', 'type Query { a: Int } interface I { a: Int } type T implements I & I { a: Int }'],
  ['v_interface_field_missing', 'type Query { a: Int } interface I { a: Int b: Int } type T implements I { a: Int } extend type T @d directive @d on OBJECT'],
  ['v_interface_field_type', 'type Query { a: Int } interface I { a: [Int] } type T implements I { a: Int }'],
  ['v_interface_arg_missing', 'type Query { a: Int } interface I { a(x: Int): Int } type T implements I { a: Int }'],
  ['v_interface_arg_type', 'type Query { a: Int } interface I { a(x: Int): Int } type T implements I { a(x: Int!): Int }'],
  ['v_interface_extra_required_arg', 'type Query { a: Int } interface I { a: Int } type T implements I { a(y: Int!, z: Int! = 1, w: Int): Int }'],
  ['v_interface_transitive_missing', 'type Query { a: Int } interface A { a: Int } interface B implements A { a: Int } type T implements B { a: Int }'],
  ['v_interface_transitive_circular', 'type Query { a: Int } interface A implements B { a: Int } interface B implements A { a: Int }'],
  ['v_union_empty', 'type Query { a: Int } union U'],
  ['v_union_duplicate_member', 'type Query { a: Int } type A { a: Int } union U = A | A'],
  ['v_union_non_object_member', 'type Query { a: Int } scalar S union U = S'],
  ['v_enum_empty', 'type Query { a: Int } enum E'],
  ['v_input_empty', 'type Query { a: Int } input I'],
  ['v_input_field_not_input', 'type Query { a(i: I): Int } input I { q: Query }'],
  ['v_required_input_field_deprecated', 'type Query { a(i: I): Int } input I { f: Int! @deprecated }'],
  ['v_one_of_non_null', 'type Query { a(i: I): Int } input I @oneOf { f: Int! g: Int }'],
  ['v_one_of_default', 'type Query { a(i: I): Int } input I @oneOf { f: Int = 1 g: Int }'],
  ['v_input_cycle', 'type Query { a(i: A): Int } input A { b: B! } input B { a: A! self: B }'],
];

const shape = (e) => ({ message: e.message, ...(e.locations ? { locations: e.locations } : {}) });
function answer(sdl) {
  const doc = g.parse(sdl);
  const sdlErrors = validateSDL(doc);
  if (sdlErrors.length) return { errors: sdlErrors.map(shape) };
  let schema;
  try {
    schema = g.buildASTSchema(doc, { assumeValidSDL: true });
  } catch (e) {
    return { errors: [shape(e)] };
  }
  const errors = g.validateSchema(schema);
  if (errors.length) return { errors: errors.map(shape) };
  return { printed: g.printSchema(schema) };
}

const lit = (s) =>
  s
    .split(/(?<=\n)/)
    .map((part) => '    ' + JSON.stringify(part).replace(/\?\?/g, '?\\?'))
    .join('\n');

let out = `/* test_schema_cases.h: SDL cases and graphql-js 16.15.0's answers, generated by
 * tests/unit/gen_schema_cases.mjs (do not edit; regenerate). */\n\n`;
out += 'typedef struct schema_case {\n    const char *name;\n    const char *sdl;\n';
out += '    const char *printed; /* printSchema, or NULL when invalid */\n';
out += '    const char *errors;  /* the errors as JSON, or NULL when valid */\n} schema_case;\n\n';
out += 'static const schema_case schema_cases[] = {\n';
for (const [name, sdl] of cases) {
  const a = answer(sdl);
  out += `    {${JSON.stringify(name)},\n${lit(sdl)},\n`;
  out += a.printed !== undefined ? `${lit(a.printed)},\n    NULL},\n` : `    NULL,\n${lit(JSON.stringify(a.errors))}},\n`;
}
out += '};\n';
process.stdout.write(out);
