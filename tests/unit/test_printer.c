/* test_printer.c: gql_print, gql_print_string and gql_print_block_string
 * compared byte for byte with graphql-js 16.15.0's print(parse(x)),
 * printString and printBlockString (expected strings were produced by it). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <gqlsse/arena.h>
#include <gqlsse/parser.h>
#include <gqlsse/printer.h>

/* ---- Documents: print(parse(source)) -------------------------------------- */

/* Parses `source`, prints the document and compares with `expected`; then
 * checks that printing is stable (print(parse(expected)) == expected). */
static void assert_prints(const char *source, const char *expected)
{
    const char *inputs[2] = {source, expected};
    for (int i = 0; i < 2; i++) {
        gql_error_list errors = GQL_ERROR_LIST_INIT;
        gql_document *doc = gql_parse(inputs[i], strlen(inputs[i]), NULL, &errors);
        if (!doc)
            fail_msg("parse failed: %s", errors.count ? errors.items[0].message : "?");
        char *printed = gql_print(doc->root);
        assert_non_null(printed);
        assert_string_equal(printed, expected);
        free(printed);
        gql_document_free(doc);
        gql_error_list_clear(&errors);
    }
}

/* Executable kitchen sink: all selections, operation / variable / fragment
 * descriptions, variables with defaults and directives, every value kind,
 * block strings in arguments, field arguments breaking past 80 columns
 * (UTF-16 lengths, indentation not counted, block strings counted whole). */
static const char exec_source[] =
    "\"Operation description\"\n"
    "query queryName($foo: ComplexType, $site: Site = MOBILE @onVar, $list: [Int!]! = [1, -2]) @onQuery {\n"
    "  whoever123is: node(id: [123, 456]) {\n"
    "    id\n"
    "    ... on User @onInlineFragment {\n"
    "      field2 {\n"
    "        id\n"
    "        alias: field1(first: 10, after: $foo) @include(if: $foo) {\n"
    "          id\n"
    "          ...frag @onFragmentSpread\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "    ... @skip(unless: $foo) { id }\n"
    "    ... { id }\n"
    "  }\n"
    "}\n"
    "\n"
    "mutation likeStory @onMutation {\n"
    "  like(story: 123) @onField { story { id @onField } }\n"
    "}\n"
    "\n"
    "subscription StoryLikeSubscription(\n"
    "  \"\"\"\n"
    "  Variable description\n"
    "  on two lines\n"
    "  \"\"\"\n"
    "  $input: StoryLikeSubscribeInput @onVariableDefinition\n"
    "  \"short\" $n: Float = 1.5e-3\n"
    ") @onSubscription {\n"
    "  storyLikeSubscribe(input: $input) { story { likers { count } } }\n"
    "}\n"
    "\n"
    "\"Fragment description\"\n"
    "fragment frag on Friend @onFragmentDefinition @other {\n"
    "  foo(size: $size, bar: $b, obj: {key: \"value\", block: \"\"\"\n"
    "      block string uses \\\"\"\"\n"
    "  \"\"\"})\n"
    "}\n"
    "\n"
    "{\n"
    "  unnamed(truthy: true, falsy: false, nullish: null, enum: RED, float: -0.0e10, obj: {a: {b: [{}]}, c: []})\n"
    "  query\n"
    "}\n"
    "\n"
    "query { __typename }\n"
    "query ($a: Int) @dir { a }\n"
    "query Named { a }\n"
    "\n"
    "{\n"
    "  exactly80: field(argumentOne: \"aaaaaaaaaaaaaa\", argumentTwo: \"bbbbbbbbbbbbbbbb\")\n"
    "  exactly81: field(argumentOne: \"aaaaaaaaaaaaaa\", argumentTwo: \"bbbbbbbbbbbbbbbbb\")\n"
    "  nested {\n"
    "    deeper {\n"
    "      veryLongFieldName(firstArgument: 1, secondArgument: \"two\", thirdArgument: [THREE]) {\n"
    "        id\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "  emoji(a: \"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\")\n"
    "  emoji(a: \"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\")\n"
    "  accents(a: \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\")\n"
    "  multiBlock(text: \"\"\"\n"
    "    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    "    bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
    "  \"\"\")\n"
    "  block(text: \"\"\"\n"
    "    line one\n"
    "      indented line\n"
    "    line \"three\"\n"
    "  \"\"\")\n"
    "}\n";

static const char exec_expected[] =
    "\"Operation description\"\n"
    "query queryName($foo: ComplexType, $site: Site = MOBILE @onVar, $list: [Int!]! = [1, -2]) @onQuery {\n"
    "  whoever123is: node(id: [123, 456]) {\n"
    "    id\n"
    "    ... on User @onInlineFragment {\n"
    "      field2 {\n"
    "        id\n"
    "        alias: field1(first: 10, after: $foo) @include(if: $foo) {\n"
    "          id\n"
    "          ...frag @onFragmentSpread\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "    ... @skip(unless: $foo) {\n"
    "      id\n"
    "    }\n"
    "    ... {\n"
    "      id\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "mutation likeStory @onMutation {\n"
    "  like(story: 123) @onField {\n"
    "    story {\n"
    "      id @onField\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "subscription StoryLikeSubscription(\n"
    "\"\"\"\n"
    "Variable description\n"
    "on two lines\n"
    "\"\"\"\n"
    "$input: StoryLikeSubscribeInput @onVariableDefinition\n"
    "\"short\"\n"
    "$n: Float = 1.5e-3\n"
    ") @onSubscription {\n"
    "  storyLikeSubscribe(input: $input) {\n"
    "    story {\n"
    "      likers {\n"
    "        count\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "\"Fragment description\"\n"
    "fragment frag on Friend @onFragmentDefinition @other {\n"
    "  foo(\n"
    "    size: $size\n"
    "    bar: $b\n"
    "    obj: {key: \"value\", block: \"\"\"\n"
    "    block string uses \\\"\"\"\n"
    "    \"\"\"}\n"
    "  )\n"
    "}\n"
    "\n"
    "{\n"
    "  unnamed(\n"
    "    truthy: true\n"
    "    falsy: false\n"
    "    nullish: null\n"
    "    enum: RED\n"
    "    float: -0.0e10\n"
    "    obj: {a: {b: [{}]}, c: []}\n"
    "  )\n"
    "  query\n"
    "}\n"
    "\n"
    "{\n"
    "  __typename\n"
    "}\n"
    "\n"
    "query ($a: Int) @dir {\n"
    "  a\n"
    "}\n"
    "\n"
    "query Named {\n"
    "  a\n"
    "}\n"
    "\n"
    "{\n"
    "  exactly80: field(argumentOne: \"aaaaaaaaaaaaaa\", argumentTwo: \"bbbbbbbbbbbbbbbb\")\n"
    "  exactly81: field(\n"
    "    argumentOne: \"aaaaaaaaaaaaaa\"\n"
    "    argumentTwo: \"bbbbbbbbbbbbbbbbb\"\n"
    "  )\n"
    "  nested {\n"
    "    deeper {\n"
    "      veryLongFieldName(\n"
    "        firstArgument: 1\n"
    "        secondArgument: \"two\"\n"
    "        thirdArgument: [THREE]\n"
    "      ) {\n"
    "        id\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "  emoji(a: \"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\")\n"
    "  emoji(\n"
    "    a: \"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"\n"
    "  )\n"
    "  accents(a: \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\")\n"
    "  multiBlock(\n"
    "    text: \"\"\"\n"
    "    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    "    bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
    "    \"\"\"\n"
    "  )\n"
    "  block(text: \"\"\"\n"
    "  line one\n"
    "    indented line\n"
    "  line \"three\"\n"
    "  \"\"\")\n"
    "}";

static void test_print_executable_kitchen_sink(void **state)
{
    (void)state;
    assert_prints(exec_source, exec_expected);
}

/* SDL kitchen sink: schema, every type definition and extension, block and
 * plain descriptions, interfaces implementing interfaces, unions with a
 * leading `|`, argument definitions made multi-line by a description or a
 * multi-line default value (and long ones that stay on one line), directive
 * definitions with `repeatable`. */
static const char sdl_source[] =
    "\"\"\"This is a description\n"
    "of the schema as a whole.\"\"\"\n"
    "schema @onSchema {\n"
    "  query: QueryType\n"
    "  mutation: MutationType\n"
    "  subscription: SubscriptionType\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "This is a description\n"
    "of the `Foo` type.\n"
    "\"\"\"\n"
    "type Foo implements Bar & Baz & Two {\n"
    "  \"Description of the `one` field.\"\n"
    "  one: Type\n"
    "  \"\"\"This is a description of the `two` field.\"\"\"\n"
    "  two(\n"
    "    \"\"\"This is a description of the `argument` argument.\"\"\"\n"
    "    argument: InputType!\n"
    "  ): Type\n"
    "  \"\"\"This is a description of the `three` field.\"\"\"\n"
    "  three(argument: InputType, other: String): Int\n"
    "  four(argument: String = \"string\"): String\n"
    "  five(argument: [String] = [\"string\", \"string\"]): String\n"
    "  six(argument: InputType = {key: \"value\"}): Type\n"
    "  seven(argument: Int = null): Type\n"
    "  eight(argument: OneOfInputType): Type\n"
    "  blockDefault(text: String = \"\"\"\n"
    "    two\n"
    "    lines\n"
    "  \"\"\"): String\n"
    "  inlineBlockDefault(text: String = \"\"\"one line\"\"\"): String\n"
    "}\n"
    "\n"
    "type AnnotatedObject @onObject(arg: \"value\") {\n"
    "  annotatedField(arg: Type = \"default\" @onArgumentDefinition): Type @onField\n"
    "}\n"
    "\n"
    "type UndefinedType\n"
    "\n"
    "extend type Foo {\n"
    "  seven(argument: [String]): Type\n"
    "}\n"
    "\n"
    "extend type Foo @onType\n"
    "\n"
    "interface Bar {\n"
    "  one: Type\n"
    "  four(argument: String = \"string\"): String\n"
    "}\n"
    "\n"
    "interface AnnotatedInterface @onInterface {\n"
    "  annotatedField(arg: Type @onArgumentDefinition): Type @onField\n"
    "}\n"
    "\n"
    "interface UndefinedInterface\n"
    "\n"
    "extend interface Bar implements Two {\n"
    "  two(argument: InputType!): Type\n"
    "}\n"
    "\n"
    "extend interface Bar @onInterface\n"
    "\n"
    "interface Baz implements Bar & Two {\n"
    "  one: Type\n"
    "  two(argument: InputType!): Type\n"
    "  four(argument: String = \"string\"): String\n"
    "}\n"
    "\n"
    "union Feed =\n"
    "  | Story\n"
    "  | Article\n"
    "  | Advert\n"
    "\n"
    "union AnnotatedUnion @onUnion = A | B\n"
    "\n"
    "union AnnotatedUnionTwo @onUnion = | A | B\n"
    "\n"
    "union UndefinedUnion\n"
    "\n"
    "extend union Feed = Photo | Video\n"
    "\n"
    "extend union Feed @onUnion\n"
    "\n"
    "scalar CustomScalar\n"
    "\n"
    "scalar AnnotatedScalar @onScalar\n"
    "\n"
    "extend scalar CustomScalar @onScalar\n"
    "\n"
    "enum Site {\n"
    "  \"\"\"This is a description of the `DESKTOP` value\"\"\"\n"
    "  DESKTOP\n"
    "\n"
    "  \"\"\"This is a description of the `MOBILE` value\"\"\"\n"
    "  MOBILE\n"
    "\n"
    "  \"This is a description of the `WEB` value\"\n"
    "  WEB\n"
    "}\n"
    "\n"
    "enum AnnotatedEnum @onEnum {\n"
    "  ANNOTATED_VALUE @onEnumValue\n"
    "  OTHER_VALUE\n"
    "}\n"
    "\n"
    "enum UndefinedEnum\n"
    "\n"
    "extend enum Site {\n"
    "  VR\n"
    "}\n"
    "\n"
    "extend enum Site @onEnum\n"
    "\n"
    "input InputType {\n"
    "  key: String!\n"
    "  answer: Int = 42\n"
    "}\n"
    "\n"
    "input OneOfInputType @oneOf {\n"
    "  string: String\n"
    "  int: Int\n"
    "}\n"
    "\n"
    "input AnnotatedInput @onInputObject {\n"
    "  annotatedField: Type @onInputFieldDefinition\n"
    "}\n"
    "\n"
    "input UndefinedInput\n"
    "\n"
    "extend input InputType {\n"
    "  other: Float = 1.23e4 @onInputFieldDefinition\n"
    "}\n"
    "\n"
    "extend input InputType @onInputObject\n"
    "\n"
    "\"\"\"This is a description of the `@skip` directive\"\"\"\n"
    "directive @skip(\n"
    "  \"\"\"This is a description of the `if` argument\"\"\"\n"
    "  if: Boolean! @onArgumentDefinition\n"
    ") on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
    "\n"
    "directive @include(if: Boolean!)\n"
    "  on FIELD\n"
    "   | FRAGMENT_SPREAD\n"
    "   | INLINE_FRAGMENT\n"
    "\n"
    "directive @include2(if: Boolean!) on\n"
    "  | FIELD\n"
    "  | FRAGMENT_SPREAD\n"
    "  | INLINE_FRAGMENT\n"
    "\n"
    "directive @myRepeatableDir(name: String!) repeatable on\n"
    "  | OBJECT\n"
    "  | INTERFACE\n"
    "\n"
    "extend schema @onSchema\n"
    "\n"
    "extend schema @onSchema {\n"
    "  subscription: SubscriptionType\n"
    "}\n"
    "\n"
    "type Extra {\n"
    "  \"\"\"A block description that is definitely longer than seventy characters in total.\"\"\"\n"
    "  longArgs(aaaaaaaaaaaaaaaaaaaa: String, bbbbbbbbbbbbbbbbbbbbbbbbbb: String, cccccccccccccccccccccccccccc: Int): String\n"
    "  \"\"\"  leading space\"\"\"\n"
    "  lead: Int\n"
    "  \"\"\"\n"
    "  ends with a quote\"\n"
    "  \"\"\"\n"
    "  quote: Int\n"
    "  \"plain \\\"string\\\" with \\\\ and \\u00e9\"\n"
    "  plain: Int\n"
    "}\n"
    "\n"
    "directive @withBlockDefault(arg: String = \"\"\"a\n"
    "b\"\"\") repeatable on FIELD | QUERY\n";

static const char sdl_expected[] =
    "\"\"\"\n"
    "This is a description\n"
    "of the schema as a whole.\n"
    "\"\"\"\n"
    "schema @onSchema {\n"
    "  query: QueryType\n"
    "  mutation: MutationType\n"
    "  subscription: SubscriptionType\n"
    "}\n"
    "\n"
    "\"\"\"\n"
    "This is a description\n"
    "of the `Foo` type.\n"
    "\"\"\"\n"
    "type Foo implements Bar & Baz & Two {\n"
    "  \"Description of the `one` field.\"\n"
    "  one: Type\n"
    "  \"\"\"This is a description of the `two` field.\"\"\"\n"
    "  two(\n"
    "    \"\"\"This is a description of the `argument` argument.\"\"\"\n"
    "    argument: InputType!\n"
    "  ): Type\n"
    "  \"\"\"This is a description of the `three` field.\"\"\"\n"
    "  three(argument: InputType, other: String): Int\n"
    "  four(argument: String = \"string\"): String\n"
    "  five(argument: [String] = [\"string\", \"string\"]): String\n"
    "  six(argument: InputType = {key: \"value\"}): Type\n"
    "  seven(argument: Int = null): Type\n"
    "  eight(argument: OneOfInputType): Type\n"
    "  blockDefault(\n"
    "    text: String = \"\"\"\n"
    "    two\n"
    "    lines\n"
    "    \"\"\"\n"
    "  ): String\n"
    "  inlineBlockDefault(text: String = \"\"\"one line\"\"\"): String\n"
    "}\n"
    "\n"
    "type AnnotatedObject @onObject(arg: \"value\") {\n"
    "  annotatedField(arg: Type = \"default\" @onArgumentDefinition): Type @onField\n"
    "}\n"
    "\n"
    "type UndefinedType\n"
    "\n"
    "extend type Foo {\n"
    "  seven(argument: [String]): Type\n"
    "}\n"
    "\n"
    "extend type Foo @onType\n"
    "\n"
    "interface Bar {\n"
    "  one: Type\n"
    "  four(argument: String = \"string\"): String\n"
    "}\n"
    "\n"
    "interface AnnotatedInterface @onInterface {\n"
    "  annotatedField(arg: Type @onArgumentDefinition): Type @onField\n"
    "}\n"
    "\n"
    "interface UndefinedInterface\n"
    "\n"
    "extend interface Bar implements Two {\n"
    "  two(argument: InputType!): Type\n"
    "}\n"
    "\n"
    "extend interface Bar @onInterface\n"
    "\n"
    "interface Baz implements Bar & Two {\n"
    "  one: Type\n"
    "  two(argument: InputType!): Type\n"
    "  four(argument: String = \"string\"): String\n"
    "}\n"
    "\n"
    "union Feed = Story | Article | Advert\n"
    "\n"
    "union AnnotatedUnion @onUnion = A | B\n"
    "\n"
    "union AnnotatedUnionTwo @onUnion = A | B\n"
    "\n"
    "union UndefinedUnion\n"
    "\n"
    "extend union Feed = Photo | Video\n"
    "\n"
    "extend union Feed @onUnion\n"
    "\n"
    "scalar CustomScalar\n"
    "\n"
    "scalar AnnotatedScalar @onScalar\n"
    "\n"
    "extend scalar CustomScalar @onScalar\n"
    "\n"
    "enum Site {\n"
    "  \"\"\"This is a description of the `DESKTOP` value\"\"\"\n"
    "  DESKTOP\n"
    "  \"\"\"This is a description of the `MOBILE` value\"\"\"\n"
    "  MOBILE\n"
    "  \"This is a description of the `WEB` value\"\n"
    "  WEB\n"
    "}\n"
    "\n"
    "enum AnnotatedEnum @onEnum {\n"
    "  ANNOTATED_VALUE @onEnumValue\n"
    "  OTHER_VALUE\n"
    "}\n"
    "\n"
    "enum UndefinedEnum\n"
    "\n"
    "extend enum Site {\n"
    "  VR\n"
    "}\n"
    "\n"
    "extend enum Site @onEnum\n"
    "\n"
    "input InputType {\n"
    "  key: String!\n"
    "  answer: Int = 42\n"
    "}\n"
    "\n"
    "input OneOfInputType @oneOf {\n"
    "  string: String\n"
    "  int: Int\n"
    "}\n"
    "\n"
    "input AnnotatedInput @onInputObject {\n"
    "  annotatedField: Type @onInputFieldDefinition\n"
    "}\n"
    "\n"
    "input UndefinedInput\n"
    "\n"
    "extend input InputType {\n"
    "  other: Float = 1.23e4 @onInputFieldDefinition\n"
    "}\n"
    "\n"
    "extend input InputType @onInputObject\n"
    "\n"
    "\"\"\"This is a description of the `@skip` directive\"\"\"\n"
    "directive @skip(\n"
    "  \"\"\"This is a description of the `if` argument\"\"\"\n"
    "  if: Boolean! @onArgumentDefinition\n"
    ") on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
    "\n"
    "directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
    "\n"
    "directive @include2(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT\n"
    "\n"
    "directive @myRepeatableDir(name: String!) repeatable on OBJECT | INTERFACE\n"
    "\n"
    "extend schema @onSchema\n"
    "\n"
    "extend schema @onSchema {\n"
    "  subscription: SubscriptionType\n"
    "}\n"
    "\n"
    "type Extra {\n"
    "  \"\"\"\n"
    "  A block description that is definitely longer than seventy characters in total.\n"
    "  \"\"\"\n"
    "  longArgs(aaaaaaaaaaaaaaaaaaaa: String, bbbbbbbbbbbbbbbbbbbbbbbbbb: String, cccccccccccccccccccccccccccc: Int): String\n"
    "  \"\"\"  leading space\"\"\"\n"
    "  lead: Int\n"
    "  \"\"\"\n"
    "  ends with a quote\"\n"
    "  \"\"\"\n"
    "  quote: Int\n"
    "  \"plain \\\"string\\\" with \\\\ and \xc3\xa9\"\n"
    "  plain: Int\n"
    "}\n"
    "\n"
    "directive @withBlockDefault(\n"
    "  arg: String = \"\"\"\n"
    "  a\n"
    "  b\n"
    "  \"\"\"\n"
    ") repeatable on FIELD | QUERY";

static void test_print_sdl_kitchen_sink(void **state)
{
    (void)state;
    assert_prints(sdl_source, sdl_expected);
}

/* String values: escapes (quotes, backslashes, \/, \u and \u{...}, control
 * and C1 characters), and block strings: trailing quote or backslash,
 * leading whitespace, leading blank lines, escaped triple quotes, empty,
 * more than 70 characters, CRLF line ends, tab indentation. */
static const char strings_source[] =
    "{\n"
    "  s(\n"
    "    quote: \"a \\\" b\"\n"
    "    backslash: \"c:\\\\dir\\\\\"\n"
    "    slash: \"\\/\"\n"
    "    unicode: \"\\u00e9 \\u00E9 \xc3\xa9 \\u{1F600} \\uD83D\\uDE00 \xf0\x9f\x98\x80\"\n"
    "    controls: \"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u000e\\u001f \\u007f\\u0080\\u0085\\u009f\\u00a0 \\u2028\"\n"
    "  )\n"
    "  trailingQuote: s(v: \"\"\"ends with a quote\"\n"
    "\"\"\")\n"
    "  leadingSpace: s(v: \"\"\"    leading whitespace\"\"\")\n"
    "  leadingBlankLines: s(v: \"\"\"\n"
    "\n"
    "      indented first\n"
    "    second\n"
    "  \"\"\")\n"
    "  allIndented: s(v: \"\"\"\n"
    "      first\n"
    "        second\n"
    "  \"\"\")\n"
    "  triple: s(v: \"\"\"contains \\\"\"\" triple\"\"\")\n"
    "  backslash: s(v: \"\"\"ends with \\\n"
    "\"\"\")\n"
    "  empty: s(v: \"\"\"\"\"\")\n"
    "  onlyTriple: s(v: \"\"\"\\\"\"\"\"\"\")\n"
    "  long: s(v: \"\"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\"\")\n"
    "  crlf: s(v: \"\"\"\n"
    "    one\r\n"
    "      two\r\n"
    "    three\r\n"
    "  \"\"\")\n"
    "  tabs: s(v: \"\"\"\n"
    "\ttab\n"
    "\t  tab and spaces\n"
    "  \"\"\")\n"
    "  quotes: s(v: \"\"\"\"quoted\" and \"\"double\"\" \"\"\")\n"
    "}";

static const char strings_expected[] =
    "{\n"
    "  s(\n"
    "    quote: \"a \\\" b\"\n"
    "    backslash: \"c:\\\\dir\\\\\"\n"
    "    slash: \"/\"\n"
    "    unicode: \"\xc3\xa9 \xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80 \xf0\x9f\x98\x80 \xf0\x9f\x98\x80\"\n"
    "    controls: \"\\u0000\\u0001\\b\\t\\n\\u000B\\f\\r\\u000E\\u001F \\u007F\\u0080\\u0085\\u009F\xc2\xa0 \xe2\x80\xa8\"\n"
    "  )\n"
    "  trailingQuote: s(v: \"\"\"\n"
    "  ends with a quote\"\n"
    "  \"\"\")\n"
    "  leadingSpace: s(v: \"\"\"    leading whitespace\"\"\")\n"
    "  leadingBlankLines: s(v: \"\"\"\n"
    "    indented first\n"
    "  second\n"
    "  \"\"\")\n"
    "  allIndented: s(v: \"\"\"\n"
    "  first\n"
    "    second\n"
    "  \"\"\")\n"
    "  triple: s(v: \"\"\"contains \\\"\"\" triple\"\"\")\n"
    "  backslash: s(v: \"\"\"\n"
    "  ends with \\\n"
    "  \"\"\")\n"
    "  empty: s(v: \"\"\"\"\"\")\n"
    "  onlyTriple: s(v: \"\"\"\n"
    "  \\\"\"\"\n"
    "  \"\"\")\n"
    "  long: s(\n"
    "    v: \"\"\"\n"
    "    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    "    \"\"\"\n"
    "  )\n"
    "  crlf: s(v: \"\"\"\n"
    "  one\n"
    "    two\n"
    "  three\n"
    "  \"\"\")\n"
    "  tabs: s(v: \"\"\"\n"
    "  tab\n"
    "    tab and spaces\n"
    "  \"\"\")\n"
    "  quotes: s(v: \"\"\"\"quoted\" and \"\"double\"\" \"\"\")\n"
    "}";

static void test_print_string_values(void **state)
{
    (void)state;
    assert_prints(strings_source, strings_expected);
}

static void test_print_empty_and_short_forms(void **state)
{
    (void)state;
    assert_prints("query{a}", "{\n  a\n}");
    assert_prints("query Q{a}", "query Q {\n  a\n}");
    assert_prints("query($v:Int){a}", "query ($v: Int) {\n  a\n}");
    assert_prints("query@d{a}", "query @d {\n  a\n}");
    assert_prints("mutation{a}", "mutation {\n  a\n}");
    assert_prints("\"d\" query{a}", "\"d\"\nquery {\n  a\n}");
    assert_prints("fragment F on T{a}", "fragment F on T {\n  a\n}");
    assert_prints("{a} {b}", "{\n  a\n}\n\n{\n  b\n}");
}

/* Nodes other than a document, printed on their own. */
static void test_print_sub_nodes(void **state)
{
    (void)state;
    gql_error_list errors = GQL_ERROR_LIST_INIT;
    gql_arena *arena = gql_arena_new(0);
    assert_non_null(arena);

    static const char value_src[] =
        "{a: [1, -2.5e3, \"x\\n\", \"\"\"blk\"\"\"], b: {c: null, d: ENUM, e: true, f: $v}}";
    gql_node *value = gql_parse_value(arena, value_src, strlen(value_src), 0, &errors);
    assert_non_null(value);
    char *printed = gql_print(value);
    assert_string_equal(printed,
                        "{a: [1, -2.5e3, \"x\\n\", \"\"\"blk\"\"\"], b: {c: null, d: ENUM, e: true, f: $v}}");
    free(printed);

    gql_node *type = gql_parse_type(arena, "[[Int!]]!", 9, &errors);
    assert_non_null(type);
    printed = gql_print(type);
    assert_string_equal(printed, "[[Int!]]!");
    free(printed);

    /* A field printed alone starts at indentation 0. */
    static const char doc_src[] = "{ a { b(x: \"\"\"\n  multi\n  line\n\"\"\") } }";
    gql_document *doc = gql_parse(doc_src, strlen(doc_src), NULL, &errors);
    assert_non_null(doc);
    const gql_node *field = doc->root->definitions.items[0]->selection_set->selections.items[0];
    printed = gql_print(field);
    assert_string_equal(printed, "a {\n  b(x: \"\"\"\n  multi\n  line\n  \"\"\")\n}");
    free(printed);

    /* gql_print_to appends to what the buffer holds. */
    gql_buf buf = GQL_BUF_INIT;
    gql_buf_puts(&buf, "> ");
    gql_print_to(&buf, field->name);
    assert_string_equal(buf.data, "> a");
    gql_buf_free(&buf);

    gql_document_free(doc);
    gql_arena_free(arena);
    assert_int_equal(errors.count, 0);
    gql_error_list_clear(&errors);
}

/* ---- printString ------------------------------------------------------------ */

typedef struct string_case {
    const char *input;
    size_t len;
    const char *expected;
} string_case;

static void test_print_string(void **state)
{
    (void)state;
    /* Inputs are UTF-8; "\xed\xa0\x80" is a lone surrogate (WTF-8). */
    static const string_case cases[] = {
        {"", 0, "\"\""},
        {"plain", 5, "\"plain\""},
        {"a \"quoted\" \\ backslash", 22, "\"a \\\"quoted\\\" \\\\ backslash\""},
        {"\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
         "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f", 32,
         "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r"
         "\\u000E\\u000F\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
         "\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F\""},
        {"\x7f\xc2\x80\xc2\x9f\xc2\xa0\xc3\xbf", 9, "\"\\u007F\\u0080\\u009F\xc2\xa0\xc3\xbf\""},
        {"\xed\xa0\x80 lone \xed\xbf\xbf", 12, "\"\xed\xa0\x80 lone \xed\xbf\xbf\""},
        {"\xe2\x80\xa8\xe2\x80\xa9\xf0\x9f\x98\x80\xc3\xa9", 12,
         "\"\xe2\x80\xa8\xe2\x80\xa9\xf0\x9f\x98\x80\xc3\xa9\""},
        {"nul\x00inside", 10, "\"nul\\u0000inside\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_buf buf = GQL_BUF_INIT;
        gql_print_string(&buf, cases[i].input, cases[i].len);
        assert_non_null(buf.data);
        assert_string_equal(buf.data, cases[i].expected);
        gql_buf_free(&buf);
    }
}

/* ---- printBlockString ------------------------------------------------------- */

typedef struct block_case {
    const char *input;
    size_t len;
    const char *expected;  /* printBlockString(input) */
    const char *minimized; /* printBlockString(input, {minimize: true}) */
} block_case;

static void check_block(const char *input, size_t len, const char *expected,
                        const char *minimized)
{
    gql_buf buf = GQL_BUF_INIT;
    gql_print_block_string(&buf, input, len, 0);
    assert_non_null(buf.data);
    assert_string_equal(buf.data, expected);
    gql_buf_reset(&buf);
    gql_print_block_string(&buf, input, len, 1);
    assert_string_equal(buf.data, minimized);
    gql_buf_free(&buf);
}

static void test_print_block_string(void **state)
{
    (void)state;
    static const block_case cases[] = {
        {"", 0, "\"\"\"\"\"\"", "\"\"\"\"\"\""},
        {"\"", 1, "\"\"\"\n\"\n\"\"\"", "\"\"\"\"\n\"\"\""},
        {"\\", 1, "\"\"\"\n\\\n\"\"\"", "\"\"\"\\\n\"\"\""},
        {"a\\", 2, "\"\"\"\na\\\n\"\"\"", "\"\"\"a\\\n\"\"\""},
        {"\"\"\"", 3, "\"\"\"\n\\\"\"\"\n\"\"\"", "\"\"\"\\\"\"\"\"\"\""},
        {"\"\"\"\"", 4, "\"\"\"\n\\\"\"\"\"\n\"\"\"", "\"\"\"\\\"\"\"\"\n\"\"\""},
        {"\"\"\"\"\"", 5, "\"\"\"\n\\\"\"\"\"\"\n\"\"\"", "\"\"\"\\\"\"\"\"\"\n\"\"\""},
        {"\"\"\"\"\"\"", 6, "\"\"\"\n\\\"\"\"\\\"\"\"\n\"\"\"", "\"\"\"\\\"\"\"\\\"\"\"\"\"\""},
        {"x\"\"\"y", 5, "\"\"\"x\\\"\"\"y\"\"\"", "\"\"\"x\\\"\"\"y\"\"\""},
        {"x\"\"\"\"y", 6, "\"\"\"x\\\"\"\"\"y\"\"\"", "\"\"\"x\\\"\"\"\"y\"\"\""},
        {"  leading", 9, "\"\"\"  leading\"\"\"", "\"\"\"  leading\"\"\""},
        {"\t\ttab", 5, "\"\"\"\t\ttab\"\"\"", "\"\"\"\t\ttab\"\"\""},
        {"first\n  second", 14, "\"\"\"\nfirst\n  second\n\"\"\"", "\"\"\"\nfirst\n  second\"\"\""},
        {"first\nsecond", 12, "\"\"\"\nfirst\nsecond\n\"\"\"", "\"\"\"first\nsecond\"\"\""},
        {"\n", 1, "\"\"\"\n\n\n\"\"\"", "\"\"\"\n\n\"\"\""},
        {"\n\n", 2, "\"\"\"\n\n\n\n\"\"\"", "\"\"\"\n\n\n\"\"\""},
        {"a\r\nb", 4, "\"\"\"\na\r\nb\n\"\"\"", "\"\"\"a\r\nb\"\"\""},
        {"a\rb", 3, "\"\"\"\na\rb\n\"\"\"", "\"\"\"a\rb\"\"\""},
        {"  first\n  second", 16, "\"\"\"\n  first\n  second\n\"\"\"", "\"\"\"\n  first\n  second\"\"\""},
        {"trailing\n", 9, "\"\"\"\ntrailing\n\n\"\"\"", "\"\"\"\ntrailing\n\"\"\""},
        {"last line \"quoted\"", 18, "\"\"\"\nlast line \"quoted\"\n\"\"\"",
         "\"\"\"last line \"quoted\"\n\"\"\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_block(cases[i].input, cases[i].len, cases[i].expected, cases[i].minimized);

    /* A NUL byte is kept as it is (printBlockString escapes nothing). */
    gql_buf buf = GQL_BUF_INIT;
    gql_print_block_string(&buf, "nul\0", 4, 0);
    assert_int_equal(buf.len, 10);
    assert_memory_equal(buf.data, "\"\"\"nul\0\"\"\"", 10);
    gql_buf_free(&buf);
}

/* Builds `prefix` followed by `count` copies of `unit` (malloc-owned by the
 * caller), for the single-line length rule: more than 70 UTF-16 code units
 * (not bytes, not code points) print on their own line. */
static char *repeat(const char *prefix, const char *unit, size_t count)
{
    size_t plen = strlen(prefix), ulen = strlen(unit);
    char *s = malloc(plen + ulen * count + 1);
    assert_non_null(s);
    memcpy(s, prefix, plen);
    for (size_t i = 0; i < count; i++)
        memcpy(s + plen + i * ulen, unit, ulen);
    s[plen + ulen * count] = '\0';
    return s;
}

/* One length case: graphql-js prints `"""<value>"""` when the value is short
 * enough, `"""\n<value>\n"""` when not, and `"""<value>\n"""` for a long one
 * starting with whitespace; minimized, always `"""<value>"""`. */
static void check_block_length(const char *prefix, const char *unit, size_t count,
                               const char *open, const char *close)
{
    char *value = repeat(prefix, unit, count);
    size_t n = strlen(value);
    char *expected = malloc(n + 16);
    char *minimized = malloc(n + 16);
    assert_non_null(expected);
    assert_non_null(minimized);
    strcpy(expected, open);
    strcat(expected, value);
    strcat(expected, close);
    strcpy(minimized, "\"\"\"");
    strcat(minimized, value);
    strcat(minimized, "\"\"\"");
    check_block(value, n, expected, minimized);
    free(value);
    free(expected);
    free(minimized);
}

static void test_print_block_string_length(void **state)
{
    (void)state;
    check_block_length("", "x", 70, "\"\"\"", "\"\"\"");
    check_block_length("", "x", 71, "\"\"\"\n", "\n\"\"\"");
    check_block_length("", "\xc3\xa9", 70, "\"\"\"", "\"\"\"");          /* é, 140 bytes */
    check_block_length("", "\xc3\xa9", 71, "\"\"\"\n", "\n\"\"\"");
    check_block_length("", "\xf0\x9f\x98\x80", 35, "\"\"\"", "\"\"\""); /* 😀, 70 units */
    check_block_length("", "\xf0\x9f\x98\x80", 36, "\"\"\"\n", "\n\"\"\"");
    check_block_length(" ", "x", 70, "\"\"\"", "\n\"\"\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_print_executable_kitchen_sink),
        cmocka_unit_test(test_print_sdl_kitchen_sink),
        cmocka_unit_test(test_print_string_values),
        cmocka_unit_test(test_print_empty_and_short_forms),
        cmocka_unit_test(test_print_sub_nodes),
        cmocka_unit_test(test_print_string),
        cmocka_unit_test(test_print_block_string),
        cmocka_unit_test(test_print_block_string_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
