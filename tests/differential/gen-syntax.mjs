#!/usr/bin/env node
// Generates the syntax corpus: tests/differential/syntax/NAME.graphql, one small
// document per case, named by what it tests, and (through oracle-batch.mjs)
// NAME.expected, the oracle's `validate` output against schema-syntax.graphql.
//
//   GRAPHQL_JS_DIR=tests/node_modules node tests/differential/gen-syntax.mjs
//
// The generated files are committed; rerun this after changing a case and commit
// the result. It removes stale *.graphql / *.expected files from syntax/ first.
// Cases are written as UTF-8 unless given as a Buffer (raw bytes, e.g. invalid
// UTF-8). Column numbers in the oracle's answers count UTF-16 code units.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, 'syntax');
const gjsDir = path.resolve(process.env.GRAPHQL_JS_DIR || path.join(here, '..', 'node_modules'));
const { Lexer, Source, TokenKind } = createRequire(path.join(gjsDir, 'x.js'))('graphql');

const cases = new Map();
function add(name, content) {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`bad case name ${name}`);
  if (cases.has(name)) throw new Error(`duplicate case ${name}`);
  cases.set(name, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
}
const hex = (n, w = 4) => n.toString(16).padStart(w, '0');
const bytes = (...parts) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

// ---------------------------------------------------------------------------
// Lexer: ignored tokens, empty documents
add('lex-empty', '');
add('lex-only-spaces', '   ');
add('lex-only-newlines', '\n\n\n');
add('lex-only-commas', ',,, ,');
add('lex-only-tabs', '\t\t');
add('lex-only-comment', '# nothing here');
add('lex-only-comment-newline', '# nothing here\n');
add('lex-only-bom', '\uFEFF');
add('lex-commas-everywhere-valid', ',{,a,(,x,:,1,,,y,:,2,),b,},');
add('lex-no-whitespace-valid', '{a(x:1,y:"s"){b}c@d(a:[1,2]){e}}');
add('lex-tabs-valid', '{\ta\t(\tx\t:\t1\t)\t}');

// Every C0 control character outside a string (tab, LF and CR are ignored).
for (let c = 0; c < 0x20; c++) {
  if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
  add(`lex-control-u${hex(c)}`, `{ a ${String.fromCharCode(c)} }`);
}
add('lex-control-u007f', '{ a \x7f }');
add('lex-control-u0085-nel', '{ a \u0085 }');
add('lex-control-u009f', '{ a \u009f }');
add('lex-nul-at-start', '\x00{ a }');
add('lex-formfeed-not-whitespace', '{\x0ca }');
add('lex-vertical-tab-not-whitespace', '{ a\x0b}');

// Unicode characters outside strings and comments.
const unicodeChars = {
  'u00a0-nbsp': '\u00a0',
  'u00e9-e-acute': '\u00e9',
  'u0410-cyrillic': '\u0410',
  'u200b-zero-width-space': '\u200b',
  'u2028-line-separator': '\u2028',
  'u2029-paragraph-separator': '\u2029',
  'u3000-ideographic-space': '\u3000',
  'u4e2d-cjk': '\u4e2d',
  'ue000-private-use': '\ue000',
  'ufffd-replacement': '\ufffd',
  'ufffe-noncharacter': '\ufffe',
  'uffff-noncharacter': '\uffff',
  'u1f600-emoji': '\u{1f600}',
  'u10000-first-astral': '\u{10000}',
  'u10ffff-last': '\u{10ffff}',
  'u1d400-math-bold-a': '\u{1d400}',
};
for (const [name, ch] of Object.entries(unicodeChars)) add(`lex-unicode-${name}`, `{ a ${ch} }`);
add('lex-unicode-in-name', '{ caf\u00e9 }');
add('lex-unicode-name-start', '{ \u00e9t\u00e9 }');
add('lex-unicode-emoji-after-name', '{ a\u{1f600} }');
add('lex-unicode-combining-mark', '{ e\u0301 }');

// ASCII characters that are not GraphQL punctuators.
const asciiPunct = {
  percent: '%', star: '*', plus: '+', slash: '/', semicolon: ';', lt: '<', gt: '>',
  question: '?', backslash: '\\', caret: '^', backtick: '`', tilde: '~',
};
for (const [name, ch] of Object.entries(asciiPunct)) add(`lex-ascii-${name}`, `{ a ${ch} }`);
add('lex-single-quote', "{ a(x: 'abc') }");
add('lex-single-quote-start', "'query'");
add('lex-single-quote-in-string-valid', `{ a(x: "it's") }`);
add('lex-dot-alone', '{ a . b }');
add('lex-dot-two', '{ a .. b }');
add('lex-dot-four', '{ .... F }');
add('lex-dot-at-eof', '{ a }.');
add('lex-dot-dot-at-eof', '{ a }..');
add('lex-dot-space-dot-dot', '{ . .. F }');
add('lex-dot-name', '{ .a }');
add('lex-spread-no-space-valid', '{...F ...on T{a}}');
add('lex-amp-outside-type', '{ a & b }');
add('lex-pipe-in-selection', '{ a | b }');
add('lex-equals-in-selection', '{ a = b }');
add('lex-bang-in-selection', '{ a! }');

// ---------------------------------------------------------------------------
// Numbers, as an argument value.
const numValid = {
  zero: '0', 'neg-zero': '-0', one: '1', 'neg-one': '-1', 'many-digits': '1234567890',
  'huge-int': '123456789012345678901234567890', 'float-simple': '1.0', 'float-neg': '-1.5',
  'float-zero': '0.0', 'float-many-decimals': '3.14159265358979323846', 'exp-lower': '1e10',
  'exp-upper': '1E10', 'exp-plus': '1e+10', 'exp-minus': '1e-10', 'frac-exp': '1.5e3',
  'zero-exp': '0e0', 'neg-zero-frac-exp': '-0.0e-0', 'frac-exp-upper-plus': '6.0221E+23',
  'huge-exp': '1e999', 'leading-zeros-in-fraction': '0.000001', 'leading-zeros-in-exp': '1e007',
};
for (const [name, n] of Object.entries(numValid)) add(`num-valid-${name}`, `{ a(x: ${n}) }`);
const numInvalid = {
  'double-zero': '00', 'zero-one': '01', 'neg-zero-one': '-01', 'neg-double-zero': '-00',
  'zero-zero-frac': '00.5', 'trailing-dot': '1.', 'dot-e': '1.e', 'dot-e1': '1.e1', 'e-alone': '1e',
  'e-plus': '1e+', 'e-minus': '1e-', 'upper-e-alone': '1E', 'minus-alone': '-', 'double-minus': '--1',
  'minus-name': '-a', 'two-dots': '1.2.3', 'hex': '0x1', 'binary': '0b1', 'octal-like': '0o7', 'digit-letter': '1a',
  'underscore-sep': '1_000', 'leading-dot': '.5', 'neg-leading-dot': '-.5', 'float-letter': '1.5a',
  'exp-letter': '1e5a', 'exp-then-frac': '1e5.0', 'zero-dot-letter': '0.x', 'dot-dot': '1..2',
  'suffix-f': '1f', 'float-suffix-f': '1.0f', 'double-exp': '1e1e1', 'plus-sign': '+1',
  'exp-dot': '1e.5', 'frac-dot': '1.5.', 'minus-dot': '-.', 'zero-name': '0abc', 'zero-underscore': '0_',
  'exp-underscore': '1e_1', 'frac-underscore': '1._1', 'int-dot-name': '1.a', 'minus-space-one': '- 1',
  'minus-emoji': '-\u{1f600}', 'dot-emoji': '1.\u{1f600}', 'exp-emoji': '1e\u{1f600}',
  'zero-then-digit-emoji': '0\u00e9',
};
for (const [name, n] of Object.entries(numInvalid)) add(`num-invalid-${name}`, `{ a(x: ${n}) }`);
add('num-int-then-emoji', '{ a(x: 1\u{1f600}) }');
add('num-int-then-e-acute', '{ a(x: 1\u00e9) }');
add('num-two-ints-no-space', '{ a(x: 1-2) }');
add('num-list-adjacent-valid', '{ a(x: [1,2 3,-4]) }');
add('num-at-eof-trailing-dot', '{ a(x: 1.');
add('num-at-eof-exp', '{ a(x: 1e');
add('num-at-eof-minus', '{ a(x: -');
add('num-at-eof-zero', '{ a(x: 0');
add('num-as-field-name', '{ 1 }');
add('num-as-field-name-neg', '{ -1 }');
add('num-name-start-digit', '{ 1a }');
add('num-minus-in-name', '{ a-b }');
add('num-as-type', 'query Q($a: 1) { a }');
add('num-as-definition', '1');

// ---------------------------------------------------------------------------
// Strings.
const strValid = {
  empty: '""', simple: '"abc"', spaces: '"  with  spaces  "', 'e-acute': '"caf\u00e9"',
  cjk: '"\u4e2d\u6587"', emoji: '"\u{1f600}\u{1f4a9}"', 'astral-last': '"\u{10ffff}"',
  'bom-inside': '"a\ufeffb"', 'nbsp-inside': '"a\u00a0b"', 'line-separator-inside': '"a\u2028b\u2029c"',
  'c1-controls-inside': '"\u0080\u0085\u009f"', 'del-inside': '"a\x7fb"', 'nul-inside': '"a\x00b"',
  'controls-inside': '"\x01\x02\x07\x08\x0b\x0c\x0e\x1f"', 'tab-inside': '"a\tb"',
  'hash-inside': '"# not a comment"', 'braces-inside': '"{ } ( ) [ ]"', 'single-quote-inside': `"'"`,
  'noncharacters-inside': '"\ufffe\uffff"', 'replacement-inside': '"\ufffd"',
  'escape-quote': String.raw`"a\"b"`, 'escape-backslash': String.raw`"a\\b"`,
  'escape-slash': String.raw`"a\/b"`, 'escape-b': String.raw`"a\bb"`, 'escape-f': String.raw`"a\fb"`,
  'escape-n': String.raw`"a\nb"`, 'escape-r': String.raw`"a\rb"`, 'escape-t': String.raw`"a\tb"`,
  'escape-all': String.raw`"\"\\\/\b\f\n\r\t"`, 'escape-backslash-then-quote': String.raw`"\\"`,
  'escape-double-backslash-end': String.raw`"a\\\\"`,
};
for (const [name, s] of Object.entries(strValid)) add(`str-valid-${name}`, `{ a(x: ${s}) }`);
add('str-unterminated-eof', '{ a(x: "abc');
add('str-unterminated-quote-only', '{ a(x: "');
add('str-unterminated-newline', '{ a(x: "abc\n") }');
add('str-unterminated-crlf', '{ a(x: "abc\r\n") }');
add('str-unterminated-cr', '{ a(x: "abc\r") }');
add('str-unterminated-after-escape', String.raw`{ a(x: "abc\") }`);
add('str-unterminated-emoji-before', '{ a(x: "\u{1f600}\u{1f600}\n") }');
add('str-unterminated-at-start', '"');
add('str-unterminated-second-line', '{\n  a(x: "ok", y: "broken\n  )\n}');
add('str-empty-then-quote', '{ a(x: "" ") }');
add('str-two-adjacent-valid', '{ a(x: ["a""b"]) }');
add('str-as-field', '{ "a" }');
add('str-as-argument-name', '{ a("x": 1) }');
add('str-as-type', 'query Q($a: "Int") { a }');
add('str-in-const-default-valid', 'query Q($a: String = "d\\n") { a(x: $a) }');

// Bad escapes: \ followed by each of a selection of characters.
const badEscapes = {
  a: 'a', x: 'x', zero: '0', one: '1', 'single-quote': "'", 'upper-u': 'U', 'upper-n': 'N',
  space: ' ', tab: '\t', 'e-acute': '\u00e9', cjk: '\u4e2d', 'control-u0001': '\x01', 'control-u001f': '\x1f',
  del: '\x7f', nul: '\x00', bom: '\ufeff', 'left-brace': '{', v: 'v', 'dollar': '$', 'hash': '#',
};
for (const [name, c] of Object.entries(badEscapes)) add(`esc-invalid-${name}`, `{ a(x: "\\${c}") }`);
// The message quotes two UTF-16 code units: half of a surrogate pair.
add('esc-invalid-emoji-half-surrogate', '{ a(x: "\\\u{1f600}") }');
add('esc-invalid-astral-last', '{ a(x: "\\\u{10ffff}") }');
add('esc-invalid-newline', '{ a(x: "\\\nb") }');
add('esc-invalid-cr', '{ a(x: "\\\rb") }');
add('esc-invalid-crlf', '{ a(x: "\\\r\nb") }');
add('esc-invalid-backslash-eof', '{ a(x: "\\');
add('esc-invalid-after-valid', String.raw`{ a(x: "\n\t\q") }`);
add('esc-invalid-second-string', String.raw`{ a(x: "\n", y: "\z") }`);
add('esc-invalid-on-line-3', '{\n  a\n  b(x: "ok \\n \\k")\n}');

// Variable-width unicode escapes \u{...}.
const uvarValid = {
  zero: '0', a: '41', 'a-padded-8': '00000041', 'a-padded-7': '0000041', lower: 'e9', upper: 'E9',
  mixed: 'aBcD', 'emoji': '1F600', 'emoji-lower': '1f600', 'max': '10FFFF', 'before-surrogates': 'D7FF',
  'after-surrogates': 'E000', 'bom': 'FEFF', 'bmp-max': 'FFFF', 'astral-min': '10000', nul: '000', del: '7F',
  'quote': '22', 'backslash': '5C', 'newline': 'A', 'control': '1',
};
for (const [name, h] of Object.entries(uvarValid)) add(`uvar-valid-${name}`, `{ a(x: "\\u{${h}}") }`);
const uvarInvalid = {
  empty: '{}', 'nine-digits': '{000000041}', 'too-large': '{110000}', 'surrogate-lead': '{D800}',
  'surrogate-trail': '{DFFF}', 'surrogate-mid': '{DBFF}', 'int32-max': '{7FFFFFFF}', 'sign-bit': '{80000000}',
  'all-f': '{FFFFFFFF}', 'non-hex': '{g}', 'non-hex-after-digits': '{12x4}', 'space-before': '{ 41}',
  'space-after': '{41 }', 'minus': '{-1}', 'plus': '{+41}', 'unclosed-quote': '{12', 'unclosed-long': '{1234567890',
  'nested-brace': '{{41}}', 'closing-only': '}', 'ten-digits-zero': '{0000000000}', 'x-prefix': '{0x41}',
  'unclosed-eight-digits': '{00000041', 'eight-digit-too-large': '{00110000}',
};
for (const [name, s] of Object.entries(uvarInvalid)) add(`uvar-invalid-${name}`, `{ a(x: "\\u${s}") }`);
add('uvar-invalid-eof', '{ a(x: "\\u{');
add('uvar-invalid-eof-digits', '{ a(x: "\\u{1F6');
add('uvar-invalid-newline', '{ a(x: "\\u{41\n}") }');
add('uvar-invalid-emoji-inside', '{ a(x: "\\u{\u{1f600}}") }');
add('uvar-invalid-emoji-after-digits', '{ a(x: "\\u{41\u{1f600}}") }');
add('uvar-invalid-e-acute-inside', '{ a(x: "\\u{\u00e9}") }');
add('uvar-invalid-nul-inside', '{ a(x: "\\u{4\x001}") }');
add('uvar-valid-many', '{ a(x: "\\u{48}\\u{69}\\u{1F44B}\\u{0}") }');
add('uvar-valid-surrogate-pair-not-combined', '{ a(x: "\\u{1F600}\\u{1F601}") }');
add('uvar-invalid-braced-surrogate-pair', '{ a(x: "\\u{D83D}\\u{DE00}") }');

// Fixed-width \uXXXX escapes, including surrogate pairs.
const ufixValid = {
  a: '\\u0041', 'lower-hex': '\\u00e9', 'upper-hex': '\\u00E9', nul: '\\u0000', 'control-u001f': '\\u001F',
  del: '\\u007F', 'bmp-max': '\\uFFFF', bom: '\\uFEFF', 'before-surrogates': '\\uD7FF',
  'after-surrogates': '\\uE000', 'pair-emoji': '\\uD83D\\uDE00', 'pair-lower': '\\ud83d\\ude00',
  'pair-mixed-case': '\\uD83d\\uDe00', 'pair-min': '\\uD800\\uDC00', 'pair-max': '\\uDBFF\\uDFFF',
  'two-pairs': '\\uD83D\\uDE00\\uD83D\\uDCA9', 'pair-then-text': '\\uD83D\\uDE00abc',
  'quote': '\\u0022', 'backslash': '\\u005C', 'newline': '\\u000A', 'cr': '\\u000D', 'tab': '\\u0009',
  'c1': '\\u0085', 'line-separator': '\\u2028', 'fffd': '\\uFFFD', 'digits-after': '\\u00411234',
};
for (const [name, s] of Object.entries(ufixValid)) add(`ufix-valid-${name}`, `{ a(x: "${s}") }`);
const ufixInvalid = {
  'lone-lead': '\\uD83D', 'lone-lead-then-text': '\\uD83Dabc', 'lead-then-bmp': '\\uD83D\\u0041',
  'lead-then-lead': '\\uD83D\\uD83D', 'lone-trail': '\\uDE00', 'trail-then-lead': '\\uDE00\\uD83D',
  'lead-then-backslash-n': '\\uD83D\\n', 'lead-then-short': '\\uD83D\\uDE0', 'lead-then-braced': '\\uD83D\\u{DE00}',
  'lead-then-bad-hex': '\\uD83D\\uDEXX', 'lead-min': '\\uD800', 'trail-max': '\\uDFFF',
  'three-digits': '\\u123', 'two-digits': '\\u12', 'one-digit': '\\u1', 'no-digits': '\\u',
  'bad-hex-first': '\\uX123', 'bad-hex-last': '\\u123X', 'bad-hex-g': '\\u00g0', 'space': '\\u 041',
  'minus': '\\u-041', 'upper-u': '\\U0041', 'lead-then-space-trail': '\\uD83D \\uDE00',
};
for (const [name, s] of Object.entries(ufixInvalid)) add(`ufix-invalid-${name}`, `{ a(x: "${s}") }`);
add('ufix-invalid-eof', '{ a(x: "\\u00');
add('ufix-invalid-eof-after-lead', '{ a(x: "\\uD83D');
add('ufix-invalid-eof-after-lead-backslash', '{ a(x: "\\uD83D\\');
add('ufix-invalid-emoji-in-digits', '{ a(x: "\\u\u{1f600}ab") }');
add('ufix-invalid-emoji-splits-quote', '{ a(x: "\\uabc\u{1f600}") }');
add('ufix-invalid-e-acute', '{ a(x: "\\u00\u00e9") }');
add('ufix-invalid-newline', '{ a(x: "\\u00\n41") }');

// ---------------------------------------------------------------------------
// Block strings.
const Q3 = '"""';
const blockValid = {
  simple: `${Q3}abc${Q3}`, empty: `${Q3}${Q3}`, 'one-space': `${Q3} ${Q3}`,
  'leading-space': `${Q3}  abc${Q3}`, 'multi-line': `${Q3}\n  line 1\n  line 2\n${Q3}`,
  'indented-common': `${Q3}\n    a\n      b\n    c\n  ${Q3}`, 'first-line-kept': `${Q3}first\n  second\n   third${Q3}`,
  'blank-lines-trimmed': `${Q3}\n\n\n  a\n\n\n${Q3}`, 'only-blank-lines': `${Q3}\n  \n\t\n${Q3}`,
  'tabs-indent': `${Q3}\n\t\ta\n\t\tb\n${Q3}`, 'mixed-indent': `${Q3}\n \ta\n\t b\n${Q3}`,
  'escaped-triple-quote': `${Q3}a \\""" b${Q3}`, 'escaped-triple-quote-only': `${Q3}\\"""${Q3}`,
  'backslash-escaped-triple': `${Q3}\\\\"""${Q3}`, 'four-quotes-escaped': `${Q3}\\""""${Q3}`,
  'quote-inside': `${Q3}a " b "" c${Q3}`, 'ends-with-quote': `${Q3}say "hi"${Q3}`,
  'ends-with-backslash': `${Q3}path\\${Q3}`, 'escapes-not-processed': `${Q3}\\n \\t \\u0041 \\u{zz} \\q${Q3}`,
  'crlf': `${Q3}\r\n  a\r\n  b\r\n${Q3}`, 'cr': `${Q3}\r  a\r  b\r${Q3}`, 'mixed-eol': `${Q3}\n  a\r\n  b\r  c\n${Q3}`,
  'unicode': `${Q3}\n  caf\u00e9 \u4e2d \u{1f600}\n${Q3}`, 'controls': `${Q3}a\x01\x07\x7fb${Q3}`,
  'nul': `${Q3}a\x00b${Q3}`, 'bom': `${Q3}\ufeffa${Q3}`, 'long-line': `${Q3}${'x'.repeat(100)}${Q3}`,
  'hash-inside': `${Q3}# not a comment${Q3}`, 'trailing-spaces': `${Q3}\n  a  \n  b  \n${Q3}`,
  'whitespace-first-line': `${Q3}   \n  a\n${Q3}`, 'formfeed-not-indent': `${Q3}\n\x0c a\n  b\n${Q3}`,
  'nbsp-not-indent': `${Q3}\n\u00a0a\n  b\n${Q3}`,
};
for (const [name, s] of Object.entries(blockValid)) add(`block-valid-${name}`, `{ a(x: ${s}) }`);
add('block-unterminated-eof', `{ a(x: ${Q3}abc`);
add('block-unterminated-open-only', Q3);
add('block-unterminated-four-quotes', '""""');
add('block-unterminated-five-quotes', '"""""');
add('block-six-quotes-valid-as-description', '"""""" type T');
add('block-eight-quotes', '""""""""');
add('block-unterminated-two-closing', `{ a(x: ${Q3}abc"") }`);
add('block-unterminated-escaped-close', `{ a(x: ${Q3}abc\\${Q3}) }`);
add('block-unterminated-multi-line', `{ a(x: ${Q3}\nline 2\nline 3\n`);
add('block-unterminated-crlf', `{ a(x: ${Q3}\r\nline 2\r\nline 3`);
add('block-error-after-multi-line', `{ a(x: ${Q3}\n  1\n  2\n  3\n${Q3}) ? }`);
add('block-error-after-crlf-lines', `{ a(x: ${Q3}\r\n  1\r\n  2${Q3} ? }`);
add('block-error-after-cr-lines', `{ a(x: ${Q3}\r  1\r  2${Q3} ? }`);
add('block-error-after-emoji-line', `{ a(x: ${Q3}\n\u{1f600}\u{1f600}${Q3} ? }`);
add('block-as-field', `{ ${Q3}a${Q3} }`);

// ---------------------------------------------------------------------------
// Invalid UTF-8 (read as U+FFFD by a UTF-8 decoder) and raw bytes.
add('utf8-lone-continuation', bytes('{ a ', [0x80], ' }'));
add('utf8-lone-continuation-in-string', bytes('{ a(x: "', [0x80], '") }'));
add('utf8-lone-continuation-in-comment', bytes('# ', [0x80], '\n{ a }'));
add('utf8-lone-continuation-in-block-string', bytes('{ a(x: """', [0x80, 0xbf], '""") }'));
add('utf8-truncated-2byte-eof', bytes('{ a }', [0xc3]));
add('utf8-truncated-3byte-in-string', bytes('{ a(x: "ab', [0xe2, 0x82], '") ? }'));
add('utf8-truncated-4byte-then-ascii', bytes('{ a(x: "', [0xf0, 0x9f, 0x98], 'x") ? }'));
add('utf8-overlong-slash', bytes('{ a(x: "', [0xc0, 0xaf], '") ? }'));
add('utf8-overlong-nul', bytes('{ a(x: "', [0xc0, 0x80], '") ? }'));
add('utf8-encoded-surrogate', bytes('{ a(x: "', [0xed, 0xa0, 0x80], '") ? }'));
add('utf8-encoded-surrogate-pair', bytes('{ a(x: "', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], '") ? }'));
add('utf8-above-max', bytes('{ a(x: "', [0xf4, 0x90, 0x80, 0x80], '") ? }'));
add('utf8-byte-ff', bytes('{ a(x: "', [0xff], '") ? }'));
add('utf8-byte-fe', bytes('{ a(x: "', [0xfe], '") ? }'));
add('utf8-five-byte', bytes('{ a(x: "', [0xf8, 0x88, 0x80, 0x80, 0x80], '") ? }'));
add('utf8-bare-ff', bytes('{ a ', [0xff], ' }'));
add('utf8-bare-surrogate', bytes('{ a ', [0xed, 0xa0, 0x80], ' }'));
add('utf8-in-name', bytes('{ ab', [0xc3], 'cd }'));
add('utf8-lead-then-lead', bytes('{ a(x: "', [0xc3, 0xc3, 0xa9], '") ? }'));
add('utf8-valid-after-invalid', bytes('{ a(x: "', [0xe2, 0x82], '\u20ac") ? }'));
add('utf8-invalid-in-bad-escape', bytes('{ a(x: "\\', [0xe9], 'x") }'));
add('utf8-invalid-in-uvar-escape', bytes('{ a(x: "\\u{', [0xe9], '}") }'));
add('utf8-valid-string-format', bytes('{ a(x: "ok', [0x80], 'ok") }'));

// ---------------------------------------------------------------------------
// Byte order marks.
add('bom-start-valid', '\ufeff{ a }');
add('bom-start-error', '\ufeff{ a ? }');
add('bom-start-eof-error', '\ufeff{ a');
add('bom-double-valid', '\ufeff\ufeff{ a }');
add('bom-middle-valid', '{ a \ufeff b }');
add('bom-between-tokens-valid', 'query\ufeffQ\ufeff{\ufeffa\ufeff}');
add('bom-before-error-line-2', '\ufeff{\n\ufeff a ? }');
add('bom-in-string-valid', '{ a(x: "\ufeff") }');
add('bom-in-comment-valid', '# \ufeff\n{ a }');
add('bom-only-then-description', '\ufeff"desc"');

// ---------------------------------------------------------------------------
// Locations: lines and UTF-16 columns of errors.
add('loc-lf-line-3', '{\n  a\n  ?\n}');
add('loc-crlf-line-3', '{\r\n  a\r\n  ?\r\n}');
add('loc-cr-line-3', '{\r  a\r  ?\r}');
add('loc-lf-cr-two-lines', '{\n\r  ?\n}');
add('loc-cr-lf-one-line', '{\r\n  ?\n}');
add('loc-cr-cr-lf', '{\r\r\n  ?\n}');
add('loc-mixed-eols', '{\r\n a\n b\r c\r\n\n\r ?\n}');
add('loc-tabs-column', '{\n\t\ta\t?\n}');
add('loc-emoji-column', '{ a(x: "\u{1f600}") ? }');
add('loc-two-emoji-column', '{ a(x: "\u{1f600}\u{1f600}") ? }');
add('loc-e-acute-column', '{ a(x: "\u00e9\u00e9") ? }');
add('loc-cjk-column', '{ a(x: "\u4e2d\u6587") ? }');
add('loc-three-byte-column', '{ a(x: "\u20ac") ? }');
add('loc-emoji-in-comment-column', '# \u{1f600}\n{ a(x: "\u{1f600}") ? }');
add('loc-emoji-in-block-string', `{ a(x: ${Q3}\u{1f600}${Q3}) ? }`);
add('loc-emoji-previous-line', '# \u{1f600}\u{1f600}\n{ ? }');
add('loc-eof-after-lf', '{ a\n');
add('loc-eof-after-crlf', '{ a\r\n');
add('loc-eof-after-cr', '{ a\r');
add('loc-eof-after-blank-lines', '{ a\n\n\n   ');
add('loc-eof-after-comment', '{ a # tail');
add('loc-eof-after-tab', '{ a\t');
add('loc-line-separator-not-eol', '{ a\u2028?\n}');
add('loc-many-lines', '{\n' + '  a\n'.repeat(500) + '  ?\n}');
add('loc-long-line', '{ ' + 'a '.repeat(2500) + '? }');
add('loc-error-in-later-definition', 'query A { a }\n\nquery B { b }\n\nquery C { c ? }\n');
add('loc-error-last-byte', '{ a }}');
add('loc-error-first-byte', '}');

// ---------------------------------------------------------------------------
// Comments.
add('cmt-eats-rest-of-line', '{ a # comment }');
add('cmt-before-document-valid', '# leading\n# comments\n{ a }');
add('cmt-after-document-valid', '{ a }\n# trailing');
add('cmt-no-trailing-newline-valid', '{ a } # trailing');
add('cmt-everywhere-valid', '# 0\nquery # 1\nQ # 2\n( # 3\n$a # 4\n: # 5\nInt # 6\n) # 7\n{ # 8\na # 9\n} # 10\n');
add('cmt-ends-at-cr-valid', '{ a # comment\r}');
add('cmt-ends-at-crlf-valid', '{ a # comment\r\n}');
add('cmt-controls-inside-valid', '# \x01\x07\x0b\x0c\x7f\n{ a }');
add('cmt-nul-inside-valid', '# \x00\n{ a }');
add('cmt-unicode-inside-valid', '# caf\u00e9 \u4e2d \u{1f600} \u2028\n{ a }');
add('cmt-quotes-inside-valid', '# """ " \\u{zz}\n{ a }');
add('cmt-hash-hash-valid', '{ a ## two\n}');
add('cmt-directly-after-token-valid', '{ a#c\n}');
add('cmt-after-string-valid', '{ a(x: "s"#c\n) }');
add('cmt-error-after-comment', '# comment\n{ ? }');
add('cmt-only-in-selection', '{ # nothing\n}');
add('cmt-in-string-not-comment-valid', '{ a(x: "# no") }');

// ---------------------------------------------------------------------------
// Executable documents: parser errors.
const execErrors = {
  'empty-selection': '{}',
  'empty-nested-selection': '{ a { } }',
  'query-keyword-only': 'query',
  'query-name-only': 'query Q',
  'query-open-paren': 'query Q(',
  'query-empty-vars': 'query Q() { a }',
  'var-missing-type': 'query Q($a) { a }',
  'var-missing-type-name': 'query Q($a: ) { a }',
  'var-missing-dollar': 'query Q(a: Int) { a }',
  'var-double-dollar': 'query Q($$a: Int) { a }',
  'var-dollar-number': 'query Q($1: Int) { a }',
  'var-in-default': 'query Q($a: Int = $b) { a }',
  'var-in-default-list': 'query Q($a: [Int] = [1, $b]) { a }',
  'var-in-default-object': 'query Q($a: In = {x: {y: $b}}) { a }',
  'dollar-alone-in-default': 'query Q($a: Int = $) { a }',
  'dollar-number-in-default': 'query Q($a: Int = $1) { a }',
  'var-in-var-directive': 'query Q($a: Int @d(a: $b)) { a }',
  'var-default-missing': 'query Q($a: Int = ) { a }',
  'var-double-bang': 'query Q($a: Int!!) { a }',
  'var-unclosed-list-type': 'query Q($a: [Int) { a }',
  'var-list-type-empty': 'query Q($a: []) { a }',
  'var-bang-first': 'query Q($a: !Int) { a }',
  'var-description-after-default': 'query Q($a: Int = 1 "desc") { a }',
  'var-description-on-name': 'query Q("desc" a: Int) { a }',
  'var-unclosed': 'query Q($a: Int { a }',
  'var-two-descriptions': 'query Q("a" "b" $a: Int) { a }',
  'mutation-keyword-only': 'mutation',
  'subscription-keyword-only': 'subscription',
  'type-name-as-operation': 'Query { a }',
  'misspelled-query': 'querty { a }',
  'operation-uppercase': 'QUERY Q { a }',
  'extra-closing-brace': 'query { a } }',
  'extra-name-after-doc': '{ a } extra',
  'double-open-brace': '{{ a }}',
  'arg-missing-colon': '{ a(x) }',
  'arg-missing-value': '{ a(x:) }',
  'arg-empty': '{ a() }',
  'arg-unclosed': '{ a(x: 1 }',
  'arg-unclosed-eof': '{ a(x: 1',
  'arg-twice-parens': '{ a(x: 1)(y: 2) }',
  'arg-string-name': '{ a("x": 1) }',
  'arg-value-then-value': '{ a(x: true false) }',
  'arg-variable-number': '{ a(x: $1) }',
  'arg-dollar-alone': '{ a(x: $) }',
  'arg-at-value': '{ a(x: @) }',
  'arg-equals': '{ a(x = 1) }',
  'alias-missing-name': '{ a: }',
  'alias-double': '{ a: b: c }',
  'alias-to-number': '{ a: 1 }',
  'directive-missing-name': '{ a @ }',
  'directive-unclosed-args': '{ a @d( }',
  'directive-empty-args': '{ a @d() }',
  'directive-number-name': '{ a @1 }',
  'directive-before-alias': '{ @d a }',
  'spread-alone': '{ ... }',
  'spread-on-alone': '{ ... on }',
  'spread-on-on-no-selection': '{ ... on on }',
  'spread-type-no-selection': '{ ... on T }',
  'spread-no-space-on-alone': '{ ...on }',
  'spread-with-args': '{ ...F(x: 1) }',
  'spread-number': '{ ...1 }',
  'spread-string': '{ ..."F" }',
  'spread-directive-no-selection': '{ ... @d }',
  'spread-on-list-type': '{ ... on [T] { a } }',
  'spread-on-non-null-type': '{ ... on T! { a } }',
  'fragment-on-on-on': 'fragment on on on { a }',
  'fragment-named-on': 'fragment on on T { a }',
  'fragment-missing-on': 'fragment F { a }',
  'fragment-missing-type': 'fragment F on { a }',
  'fragment-missing-selection': 'fragment F on T',
  'fragment-variables-legacy': 'fragment F($a: Int) on T { a }',
  'fragment-keyword-only': 'fragment',
  'fragment-name-only': 'fragment F',
  'fragment-on-only': 'fragment F on',
  'fragment-type-list': 'fragment F on [T] { a }',
  'fragment-directive-var-const': 'fragment F on T @d(a: 1) @',
  'fragment-spread-named-on': '{ ...on }',
  'list-unclosed': '{ a(x: [1, 2) }',
  'list-open-only': '{ a(x: [) }',
  'list-close-only': '{ a(x: ]) }',
  'object-missing-colon': '{ a(x: {y}) }',
  'object-missing-value': '{ a(x: {y: }) }',
  'object-number-key': '{ a(x: {1: 2}) }',
  'object-string-key': '{ a(x: {"y": 2}) }',
  'object-unclosed': '{ a(x: {y: 1) }',
  'object-variable-key': '{ a(x: {$y: 1}) }',
  'value-bang': '{ a(x: !) }',
  'value-pipe': '{ a(x: |) }',
  'value-spread': '{ a(x: ...) }',
  'selection-paren': '{ (a) }',
  'selection-after-subselection-brace': '{ a { b } { c } }',
  'shorthand-unclosed': '{ a',
  'shorthand-unclosed-nested': '{ a { b',
  'name-then-eof-after-query': 'query Q {',
  'directive-on-shorthand': '@d { a }',
  'operation-then-garbage': 'query Q { a } query',
  'subscription-no-selection': 'subscription S',
  'query-variables-after-directives': 'query Q @d ($a: Int) { a }',
  'query-name-after-vars': 'query ($a: Int) Q { a }',
  'query-string-name': 'query "Q" { a }',
  'schema-keyword-in-executable': '{ a } schema',
  'dollar-field': '{ $a }',
  'amp-in-args': '{ a(x: 1 & y: 2) }',
};
for (const [name, s] of Object.entries(execErrors)) add(`exec-error-${name}`, s);

// Executable documents: valid, small.
const execValid = {
  'shorthand': '{ a }',
  'nested': '{ f { f { f { a } } } }',
  'alias': '{ x: a y: b }',
  'args-all-kinds': '{ a(a: 1, b: 1.5, c: "s", x: true, y: null, z: ENUM) }',
  'args-list-object': '{ a(a: [1, [2, [3]]], b: {x: {y: [{z: 1}]}}, c: [], x: {}) }',
  'args-variables': 'query Q($a: Any, $b: Any) { a(a: $a, b: [$b], c: {x: $a}) }',
  'var-dollar-space-name': 'query Q($ a: Any) { a(a: $ a) }',
  'var-all-types': 'query Q($a: Int, $b: [Int], $c: [Int!]!, $x: [[String!]]!, $y: In) { a(a: $a, b: $b, c: $c, x: $x, y: $y) }',
  'var-defaults': 'query Q($a: Int = 1, $b: [String] = ["x"], $c: In = {a: 1, b: [null]}, $x: Boolean = false) { a(a: $a, b: $b, c: $c, x: $x) }',
  'var-directive': 'query Q($a: Int @d(a: 1) @e) { a(a: $a) }',
  'var-default-and-directive': 'query Q($a: Int = 3 @d) { a(a: $a) }',
  'var-no-commas': 'query Q($a: Int $b: Int) { a(a: $a, b: $b) }',
  'directives': '{ a @d @e(a: 1) @d(a: [1], b: {c: 2}) }',
  'directive-skip-include': 'query Q($v: Boolean!) { a @skip(if: $v) b @include(if: true) }',
  'directive-whitespace-after-at': '{ a @ d }',
  'mutation': 'mutation M { a }',
  'mutation-anonymous': 'mutation { a }',
  'subscription': 'subscription S { a }',
  'subscription-anonymous': 'subscription { a }',
  'query-anonymous-vars': 'query ($a: Int) { a(a: $a) }',
  'query-anonymous-directive': 'query @d { a }',
  'query-anonymous-keyword': 'query { a }',
  'operation-directives': 'query Q @d(a: 1) @e { a }',
  'fragment': 'query Q { ...F } fragment F on Query { a }',
  'fragment-on-interface': 'query Q { node { ...F } } fragment F on Node { id }',
  'fragment-directives': 'query Q { ...F @d } fragment F on Query @d { a }',
  'fragment-directive-variable': 'query Q($v: Any) { ...F } fragment F on Query @d(a: $v) { a }',
  'fragment-type-named-on': 'fragment F on on { a }',
  'inline-fragment': '{ ... on Query { a } }',
  'inline-fragment-no-type': '{ ... { a } }',
  'inline-fragment-directive-only': '{ ... @d { a } }',
  'inline-fragment-on-on': '{ ... on on { a } }',
  'spread-no-space': '{ ...F } fragment F on Query { a }',
  'keywords-as-fields': '{ query mutation subscription fragment on true false null type schema extend implements }',
  'keywords-as-operation-names': 'query query { a } query mutation { a } query fragment { a }',
  'keywords-as-args': '{ a(on: on, true: true, null: null, query: query) }',
  'keyword-names-as-variables': 'query Q($on: Int, $null: Int, $true: Int) { a(a: $on, b: $null, c: $true) }',
  'enum-values': '{ a(a: A, b: on, c: type, x: TRUE, y: Null) }',
  'underscore-names': '{ _ __a a_b _1 A9_z }',
  'long-name': `{ ${'n'.repeat(300)} }`,
  'many-definitions': 'query A { a } query B { b } mutation C { a } subscription D { a } fragment E on Query { a }',
  'shorthand-and-named': '{ a } query Q { b }',
  'two-shorthands': '{ a } { b }',
  'deep-nesting': '{ ' + 'f { '.repeat(50) + 'a' + ' }'.repeat(50) + ' }',
  'deep-list-value': '{ a(a: ' + '['.repeat(50) + '1' + ']'.repeat(50) + ') }',
  'deep-object-value': '{ a(a: ' + '{x: '.repeat(40) + '1' + '}'.repeat(40) + ') }',
  'nested-list-types': 'query Q($a: [[[[Int!]!]!]!]!) { a(a: $a) }',
  'many-fields': '{ ' + Array.from({ length: 200 }, (_, i) => `f${i}: a`).join(' ') + ' }',
  'field-with-everything': 'query Q($v: Any) { x: f(a: $v, b: [1, {c: "d"}]) @d(a: $v) @e { a b: c } }',
  'typename': '{ __typename f { __typename } }',
  'introspection-fields': '{ __schema { types { name } } __type(name: "Query") { name } }',
};
for (const [name, s] of Object.entries(execValid)) add(`exec-valid-${name}`, s);

// ---------------------------------------------------------------------------
// Descriptions.
const descValid = {
  'operation': '"Operation description" query Q { a }',
  'operation-block': '"""\nMulti-line\noperation description\n"""\nquery Q { a }',
  'operation-anonymous': '"desc" query { a }',
  'mutation': '"desc" mutation M { a }',
  'subscription': '"desc" subscription S { a }',
  'fragment': 'query Q { ...F }\n"Fragment description"\nfragment F on Query { a }',
  'fragment-block': 'query Q { ...F }\n"""\nBlock\n"""\nfragment F on Query { a }',
  'variable': 'query Q("Variable description" $a: Int) { a(a: $a) }',
  'variable-block': 'query Q(\n  """\n  Block variable description\n  """\n  $a: Int\n) { a(a: $a) }',
  'variables-some': 'query Q($a: Int, "b desc" $b: Int = 2, $c: Int) { a(a: $a, b: $b, c: $c) }',
  'all-executable': '"op" query Q("v" $a: Int) { ...F }\n"frag" fragment F on Query { a }',
  'type': '"desc" type T { a: Int }',
  'type-block': '"""\ndesc\n"""\ntype T { a: Int }',
  'field': 'type T { "desc" a: Int }',
  'argument': 'type T { a("desc" x: Int): Int }',
  'enum-value': 'enum E { "desc" A """block""" B }',
  'input-field': 'input I { "desc" a: Int }',
  'directive': '"desc" directive @x("arg" a: Int) on FIELD',
  'schema': '"desc" schema { query: Query }',
  'scalar': '"desc" scalar S',
  'union': '"desc" union U = A | B',
  'interface': '"desc" interface I { "f" a: Int }',
  'input': '"desc" input I { a: Int }',
  'enum': '"desc" enum E { A }',
  'empty-string': '"" type T',
  'empty-block': '"""""" type T',
  'unicode': '"caf\u00e9 \u{1f600}" type T',
  'escapes': String.raw`"a\"b\\c\nd\u0041\u{1F600}" type T`,
};
for (const [name, s] of Object.entries(descValid)) add(`desc-valid-${name}`, s);
const descErrors = {
  'shorthand-query': '"desc" { a }',
  'shorthand-query-block': '"""desc""" { a }',
  'extend': '"desc" extend type T @d',
  'extend-schema': '"desc" extend schema @d',
  'eof': '"desc"',
  'eof-block': '"""desc"""',
  'unknown-keyword': '"desc" foo',
  'two-descriptions': '"a" "b" type T',
  'selection': '{ "desc" a }',
  'argument-in-call': '{ a("desc" x: 1) }',
  'directive-usage': '{ a "desc" @d }',
  'on-union-member': 'union U = "desc" A',
  'on-implements': 'type T implements "desc" I { a: Int }',
  'on-schema-operation': 'schema { "desc" query: Q }',
  'on-directive-location': 'directive @d on "desc" FIELD',
  'before-brace': '"desc" {',
  'before-punctuator': '"desc" ...',
  'before-number': '"desc" 1',
  'second-line': 'type T\n\n"desc"\n{ a }',
};
for (const [name, s] of Object.entries(descErrors)) add(`desc-error-${name}`, s);

// ---------------------------------------------------------------------------
// Type system documents: parser errors.
const sdlErrors = {
  'type-keyword-only': 'type',
  'type-empty-fields': 'type T {}',
  'type-field-no-type': 'type T { a }',
  'type-field-colon-no-type': 'type T { a: }',
  'type-field-empty-args': 'type T { a(): Int }',
  'type-field-arg-no-type': 'type T { a(b): Int }',
  'type-field-arg-variable-default': 'type T { a(b: Int = $v): Int }',
  'type-field-default': 'type T { a: Int = 1 }',
  'type-field-string-name': 'type T { "a": Int }',
  'type-field-unclosed': 'type T { a: Int',
  'type-field-args-unclosed': 'type T { a(b: Int: Int }',
  'type-implements-nothing': 'type T implements { a: Int }',
  'type-implements-trailing-amp': 'type T implements A & { a: Int }',
  'type-implements-no-amp': 'type T implements A B { a: Int }',
  'type-implements-comma': 'type T implements A, B { a: Int }',
  'type-implements-double-amp': 'type T implements A && B { a: Int }',
  'type-directive-variable': 'type T @d(a: $v) { a: Int }',
  'type-field-directive-variable': 'type T { a: Int @d(a: $v) }',
  'type-number-name': 'type 1 { a: Int }',
  'type-list-field-type-unclosed': 'type T { a: [Int }',
  'type-directive-before-implements': 'type T @d implements I { a: Int }',
  'interface-keyword-only': 'interface',
  'interface-empty-fields': 'interface I {}',
  'interface-implements-nothing': 'interface I implements { a: Int }',
  'union-equals-nothing': 'union U =',
  'union-trailing-pipe': 'union U = A |',
  'union-double-pipe': 'union U = A | | B',
  'union-no-equals': 'union U A',
  'union-list-member': 'union U = [A]',
  'union-braces': 'union U { A }',
  'union-directive-after-members': 'union U = A @d',
  'enum-true': 'enum E { true }',
  'enum-false': 'enum E { false }',
  'enum-null': 'enum E { null }',
  'enum-true-after-values': 'enum E { A B\n  true }',
  'enum-empty': 'enum E {}',
  'enum-value-equals': 'enum E { A = 1 }',
  'enum-number-value': 'enum E { 1 }',
  'enum-string-value': 'enum E { "A" }',
  'enum-value-args': 'enum E { A(x: 1) }',
  'enum-value-type': 'enum E { A: Int }',
  'enum-unclosed': 'enum E { A',
  'enum-description-true': 'enum E { "desc" true }',
  'input-field-args': 'input I { a(x: Int): Int }',
  'input-variable-default': 'input I { a: Int = $v }',
  'input-empty': 'input I {}',
  'input-field-no-type': 'input I { a }',
  'scalar-keyword-only': 'scalar',
  'scalar-with-fields': 'scalar S { a: Int }',
  'scalar-directive-variable': 'scalar S @d(a: $v)',
  'schema-empty': 'schema {}',
  'schema-unknown-operation': 'schema { foo: Q }',
  'schema-missing-colon': 'schema { query Q }',
  'schema-no-body': 'schema @d',
  'schema-keyword-only': 'schema',
  'schema-list-type': 'schema { query: [Q] }',
  'schema-named': 'schema S { query: Q }',
  'schema-uppercase-operation': 'schema { Query: Q }',
  'directive-no-locations': 'directive @d on',
  'directive-unknown-location': 'directive @d on FOO',
  'directive-lowercase-location': 'directive @d on field',
  'directive-no-at': 'directive d on FIELD',
  'directive-no-on': 'directive @d',
  'directive-trailing-pipe': 'directive @d on FIELD |',
  'directive-repeatable-no-on': 'directive @d repeatable',
  'directive-with-directives': 'directive @d @x on FIELD',
  'directive-location-tostring': 'directive @d on toString',
  'directive-location-proto': 'directive @d on __proto__',
  'directive-location-constructor': 'directive @d on constructor',
  'directive-locations-no-pipe': 'directive @d on FIELD QUERY',
  'directive-repeatable-after-on': 'directive @d on repeatable FIELD',
  'directive-empty-args': 'directive @d() on FIELD',
  'directive-arg-variable-default': 'directive @d(a: Int = $v) on FIELD',
  'directive-location-string': 'directive @d on "FIELD"',
  'directive-location-double-pipe': 'directive @d on FIELD || QUERY',
  'directive-keyword-only': 'directive',
  'directive-repeatable-twice': 'directive @d repeatable repeatable on FIELD',
  'directive-location-fragment-variable': 'directive @d on FRAGMENT_VARIABLE_DEFINITION',
  'directive-location-executable-names': 'directive @d on QUERY | query',
  'definition-unknown-keyword': 'foo T { a: Int }',
  'definition-type-uppercase': 'Type T { a: Int }',
  'mixed-then-error': 'type T { a: Int }\nquery Q { a }\ntype',
};
for (const [name, s] of Object.entries(sdlErrors)) add(`sdl-error-${name}`, s);

const sdlValid = {
  'type': 'type T { a: Int }',
  'type-no-fields': 'type T',
  'type-implements': 'type T implements I { a: Int }',
  'type-implements-many': 'type T implements A & B & C { a: Int }',
  'type-implements-leading-amp': 'type T implements & A & B { a: Int }',
  'type-directives': 'type T @d @e(a: 1) { a: Int @d }',
  'type-field-args': 'type T { a(x: Int, y: [String!]! = ["s"], z: In = {a: 1} @d): Int }',
  'type-field-types': 'type T { a: Int b: Int! c: [Int] d: [Int!] e: [Int!]! f: [[Int]!]! }',
  'type-keyword-field-names': 'type T { type: Int query: Int on: Int input: Int enum: Int true: Int null: Int }',
  'type-named-type': 'type type { type: type }',
  'interface': 'interface I { a: Int }',
  'interface-implements': 'interface I implements J & K { a: Int }',
  'interface-no-fields': 'interface I',
  'union': 'union U = A | B',
  'union-leading-pipe': 'union U = | A | B',
  'union-directives': 'union U @d = A',
  'union-no-members': 'union U',
  'union-multiline': 'union U =\n  | A\n  | B\n  | C',
  'enum': 'enum E { A B C }',
  'enum-directives': 'enum E @d { A @d B @e(a: 1) }',
  'enum-no-values': 'enum E',
  'enum-keyword-like-values': 'enum E { TRUE FALSE NULL on type query True }',
  'input': 'input I { a: Int = 1 @d b: [In!] }',
  'input-no-fields': 'input I',
  'scalar': 'scalar S',
  'scalar-directives': 'scalar S @d @e(a: "x")',
  'schema': 'schema { query: Q mutation: M subscription: S }',
  'schema-directives': 'schema @d { query: Q }',
  'directive': 'directive @d on FIELD',
  'directive-repeatable': 'directive @d repeatable on FIELD | QUERY',
  'directive-leading-pipe': 'directive @d on | FIELD | QUERY',
  'directive-args': 'directive @d(a: Int = 1, b: [String!]!) on FIELD',
  'directive-all-locations': 'directive @d on QUERY | MUTATION | SUBSCRIPTION | FIELD | FRAGMENT_DEFINITION | FRAGMENT_SPREAD | INLINE_FRAGMENT | VARIABLE_DEFINITION | SCHEMA | SCALAR | OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | INTERFACE | UNION | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION',
  'directive-location-directive-definition': 'directive @d on DIRECTIVE_DEFINITION',
  'directive-named-repeatable': 'directive @repeatable repeatable on FIELD',
  'directive-whitespace-after-at': 'directive @ d on FIELD',
  'mixed-with-executable': 'type Query { a: Int }\nquery Q { a }',
};
for (const [name, s] of Object.entries(sdlValid)) add(`sdl-valid-${name}`, s);

// Extensions.
const extErrors = {
  'extend-only': 'extend',
  'unknown': 'extend foo',
  'query': 'extend query Q { a }',
  'fragment': 'extend fragment F on T { a }',
  'directive': 'extend directive @d on FIELD',
  'directive-with-directive': 'extend directive @d @x',
  'string': 'extend "desc" type T @d',
  'extend-extend': 'extend extend type T @d',
  'brace': 'extend { a }',
  'schema-empty': 'extend schema',
  'schema-empty-braces': 'extend schema {}',
  'schema-then-type': 'extend schema\ntype T',
  'scalar-empty': 'extend scalar S',
  'scalar-fields': 'extend scalar S { a: Int }',
  'scalar-no-name': 'extend scalar @d',
  'type-empty': 'extend type T',
  'type-empty-braces': 'extend type T {}',
  'type-then-type': 'extend type T\ntype U',
  'type-no-name': 'extend type { a: Int }',
  'interface-empty': 'extend interface I',
  'interface-empty-braces': 'extend interface I {}',
  'union-empty': 'extend union U',
  'union-equals-nothing': 'extend union U =',
  'enum-empty': 'extend enum E',
  'enum-empty-braces': 'extend enum E {}',
  'enum-true': 'extend enum E { true }',
  'input-empty': 'extend input I',
  'input-empty-braces': 'extend input I {}',
  'type-variable-in-directive': 'extend type T @d(a: $v)',
};
for (const [name, s] of Object.entries(extErrors)) add(`ext-error-${name}`, s);
const extValid = {
  'schema-directive': 'extend schema @d',
  'schema-operations': 'extend schema { query: Q }',
  'schema-both': 'extend schema @d { mutation: M }',
  'scalar': 'extend scalar S @d',
  'type-implements': 'extend type T implements I',
  'type-directive': 'extend type T @d',
  'type-fields': 'extend type T { a: Int }',
  'type-all': 'extend type T implements I & J @d { a: Int }',
  'interface-fields': 'extend interface I { a: Int }',
  'interface-implements': 'extend interface I implements J',
  'interface-directive': 'extend interface I @d',
  'union-members': 'extend union U = A | B',
  'union-directive': 'extend union U @d',
  'enum-values': 'extend enum E { A B }',
  'enum-directive': 'extend enum E @d',
  'input-fields': 'extend input I { a: Int }',
  'input-directive': 'extend input I @d',
  'keyword-names': 'extend type type { type: type } extend scalar extend @d',
};
for (const [name, s] of Object.entries(extValid)) add(`ext-valid-${name}`, s);

// ---------------------------------------------------------------------------
// Printing (format) edge cases: valid documents whose print() has a twist.
const argsOf = (n, w) => Array.from({ length: n }, (_, i) => `x${i}: "${'s'.repeat(w)}"`).join(', ');
// A field prints its arguments on one line while prefix + args + 2 <= 80.
for (const len of [78, 79, 80, 81]) {
  // `a(` + args + `)`: prefix "a" (1) + joined + 2 = len  => joined = len - 3
  const joined = len - 3;
  const sLen = joined - 'x0: ""'.length;
  add(`fmt-args-width-${len}`, `{ a(${argsOf(1, sLen)}) }`);
}
// Same boundary, but the string holds astral characters (2 UTF-16 units each).
add('fmt-args-width-80-emoji', `{ a(x0: "${'\u{1f600}'.repeat(36)}${'s'.repeat(1)}") }`);
add('fmt-args-width-81-emoji', `{ a(x0: "${'\u{1f600}'.repeat(36)}${'s'.repeat(2)}") }`);
add('fmt-args-width-80-e-acute', `{ a(x0: "${'\u00e9'.repeat(71)}") }`);
add('fmt-args-width-81-e-acute', `{ a(x0: "${'\u00e9'.repeat(72)}") }`);
add('fmt-args-wrap-many', `{ a(${argsOf(8, 10)}) { b(${argsOf(2, 5)}) } }`);
add('fmt-args-wrap-nested-object', '{ a(x: {a: 1, b: [1, 2, 3], c: {d: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", f: "gggggggggggg"}}) }');
add('fmt-args-wrap-with-alias', `{ alias: a(${argsOf(3, 20)}) }`);
add('fmt-args-wrap-block-string', `{ a(x: ${Q3}\n  line one\n  line two\n${Q3}, y: 1) }`);
add('fmt-args-wrap-deep', `{ f { f { f { a(${argsOf(4, 20)}) } } } }`);
add('fmt-block-in-nested-selection', `{ f { f { a(x: ${Q3}\n    one\n      two\n    three\n  ${Q3}) } } }`);
add('fmt-block-long-single-line', `{ a(x: ${Q3}${'y'.repeat(71)}${Q3}) }`);
add('fmt-block-70-single-line', `{ a(x: ${Q3}${'y'.repeat(70)}${Q3}) }`);
add('fmt-block-70-emoji-single-line', `{ a(x: ${Q3}${'y'.repeat(68)}\u{1f600}${Q3}) }`);
add('fmt-block-trailing-quote', `{ a(x: ${Q3}a"${Q3}) }`);
add('fmt-block-trailing-backslash', `{ a(x: ${Q3}a\\${Q3}) }`);
add('fmt-block-trailing-triple-quote', `{ a(x: ${Q3}a\\"""${Q3}) }`);
add('fmt-block-leading-space', `{ a(x: ${Q3}   a${Q3}) }`);
add('fmt-block-leading-tab', `{ a(x: ${Q3}\ta${Q3}) }`);
add('fmt-block-indented-lines', `{ a(x: ${Q3}a\n  b\n  c${Q3}) }`);
add('fmt-block-leading-space-multiline', `{ a(x: ${Q3}  a\nb${Q3}) }`);
add('fmt-block-empty-lines-inside', `{ a(x: ${Q3}\n  a\n\n  b\n${Q3}) }`);
add('fmt-block-internal-triple-quotes', `{ a(x: ${Q3}a \\""" b \\""" c${Q3}) }`);
add('fmt-block-description-multiline', `${Q3}\n  Line one.\n  Line two.\n${Q3}\ntype T { a: Int }`);
add('fmt-block-cr-in-value', `{ a(x: ${Q3}a\rb${Q3}) }`);
add('fmt-string-escapes', String.raw`{ a(x: "\u0000\u0001\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u001F\u0020\u0022\u005C\u007F\u0080\u009F\u00A0\u2028\uFFFF") }`);
add('fmt-string-surrogate-pair-escape', String.raw`{ a(x: "\uD83D\uDE00 and \u{1F600}") }`);
add('fmt-string-slash-escape', String.raw`{ a(x: "\/\/") }`);
add('fmt-numbers-valid-verbatim', '{ a(a: 1.0E+10, b: -0, c: 0.10, x: 1e007, y: 0.0e0) }');
add('fmt-variable-descriptions-multiline', 'query Q("first" $a: Int, $b: Int, """\nthird\n""" $c: Int = 3 @d) { a(a: $a, b: $b, c: $c) }');
add('fmt-variable-description-single', 'query Q("only" $a: Int) { a(a: $a) }');
add('fmt-field-def-args-described', 'type T { a("x desc" x: Int, y: Int): Int b(x: Int, y: Int): Int }');
add('fmt-directive-def-args-described', 'directive @d("a desc" a: Int, b: Int) repeatable on FIELD | QUERY');
add('fmt-description-escapes', String.raw`"quote \" backslash \\ newline \n tab \t" type T`);
add('fmt-description-long-single', `"${'d'.repeat(120)}" type T`);
add('fmt-description-block-long', `${Q3}${'d'.repeat(120)}${Q3} type T`);
add('fmt-anonymous-query-description', '"desc" query { a }');
add('fmt-anonymous-query-variables', 'query ($a: Int) { a(a: $a) }');
add('fmt-anonymous-mutation', 'mutation { a }');
add('fmt-union-leading-pipe', 'union U = | A | B');
add('fmt-implements-leading-amp', 'type T implements & A & B');
add('fmt-directive-leading-pipe', 'directive @d on | FIELD');
add('fmt-empty-object-list-values', '{ a(a: {}, b: [], c: [{}], x: {y: []}) }');
add('fmt-inline-fragment-forms', '{ ... { a } ... on T { b } ... @d { c } ... on T @d @e { d } }');
add('fmt-fragment-directives', 'fragment F on T @d @e(a: 1) { a }');
add('fmt-all-definitions-spacing', 'schema{query:Q}scalar S type T{a:Int}interface I{a:Int}union U=A|B enum E{A}input In{a:Int}directive@d on FIELD extend schema@d extend scalar S@d extend type T@d extend interface I@d extend union U@d extend enum E@d extend input In@d');
add('fmt-enum-values-directives', 'enum E { "a" A @d B @e(a: 1) """c""" C }');
add('fmt-input-defaults', 'input I { a: Int = 1, b: [Int] = [1, 2], c: In = {a: {b: null}}, d: String = """block""" }');
add('fmt-extend-type-all', 'extend type T implements I @d { a: Int }');
// print() writes a shorthand query as `{`, which re-reads as the body of a
// preceding body-less definition: graphql-js's print is not a round trip there.
add('fmt-bodyless-enum-then-shorthand-query', 'enum E @num query{ A @ dC    }');
add('fmt-bodyless-type-then-shorthand-query', 'type T @d query { a(x: 1) }');
add('fmt-bodyless-interface-then-shorthand-query', 'interface I query { a }');
add('fmt-bodyless-input-then-shorthand-query', 'input I query { a }');
add('fmt-bodyless-extend-schema-then-shorthand-query', 'extend schema @d query { a }');
add('fmt-bodyless-extend-type-then-shorthand-query', 'extend type T implements I query { a }');
add('fmt-schema-description-directives', '"s" schema @d @e { query: Q, mutation: M }');

// ---------------------------------------------------------------------------
// Kitchen sinks.
const kitchenExec = `# Kitchen sink: every executable construct graphql-js 16.15 parses.
"""
Operation description (graphql-js 16.15 accepts these on operations,
fragments and variable definitions).
"""
query queryName(
  "variable description" $foo: ComplexType,
  $site: Site = MOBILE @d,
  """
  block variable description
  """
  $nonNull: [Int!]! = [1, 2]
) @d(a: "q") {
  whoever123is: node(id: [123, 456]) {
    id ,
    ... on User @onInlineFragment {
      field2 {
        id ,
        alias: field1(first:10, after:$foo,) @include(if: $foo) {
          id,
          ...frag @onFragmentSpread
        }
      }
    }
    ... @skip(unless: $foo) {
      id
    }
    ... {
      id
    }
  }
}

mutation likeStory @onMutation {
  like(story: 123) @onField {
    story {
      id @onField
    }
  }
}

subscription StoryLikeSubscription(
  $input: StoryLikeSubscribeInput @onVariableDefinition
)
  @onSubscription {
  storyLikeSubscribe(input: $input) {
    story {
      likers {
        count
      }
      likeSentence {
        text
      }
    }
  }
}

"fragment description"
fragment frag on Friend @onFragmentDefinition {
  foo(
    size: $size
    bar: $b
    obj: {key: "value", block: """
      block string uses \\"""
    """}
  )
}

{
  unnamed(truthy: true, falsy: false, nullish: null),
  query
}

query { __typename }
`;
add('kitchen-sink-executable', kitchenExec);

const kitchenSdl = `"""This is a description of the schema as a whole."""
schema {
  query: QueryType
  mutation: MutationType
}

"""
This is a description
of the \`Foo\` type.
"""
type Foo implements Bar & Baz & Two {
  "Description of the \`one\` field."
  one: Type
  """This is a description of the \`two\` field."""
  two(
    """This is a description of the \`argument\` argument."""
    argument: InputType!
  ): Type
  """This is a description of the \`three\` field."""
  three(argument: InputType, other: String): Int
  four(argument: String = "string"): String
  five(argument: [String] = ["string", "string"]): String
  six(argument: InputType = {key: "value"}): Type
  seven(argument: Int = null): Type
}

type AnnotatedObject @onObject(arg: "value") {
  annotatedField(arg: Type = "default" @onArgumentDefinition): Type @onField
}

type UndefinedType

extend type Foo {
  seven(argument: [String]): Type
}

extend type Foo @onType

interface Bar {
  one: Type
  four(argument: String = "string"): String
}

interface AnnotatedInterface @onInterface {
  annotatedField(arg: Type @onArgumentDefinition): Type @onField
}

interface UndefinedInterface

extend interface Bar implements Two {
  two(argument: InputType!): Type
}

extend interface Bar @onInterface

interface Baz implements Bar & Two {
  one: Type
  two(argument: InputType!): Type
  four(argument: String = "string"): String
}

union Feed =
  | Story
  | Article
  | Advert

union AnnotatedUnion @onUnion = A | B

union AnnotatedUnionTwo @onUnion = | A | B

union UndefinedUnion

extend union Feed = Photo | Video

extend union Feed @onUnion

scalar CustomScalar

scalar AnnotatedScalar @onScalar

extend scalar CustomScalar @onScalar

enum Site {
  """This is a description of the \`DESKTOP\` value"""
  DESKTOP

  """This is a description of the \`MOBILE\` value"""
  MOBILE

  "This is a description of the \`WEB\` value"
  WEB
}

enum AnnotatedEnum @onEnum {
  ANNOTATED_VALUE @onEnumValue
  OTHER_VALUE
}

enum UndefinedEnum

extend enum Site {
  VR
}

extend enum Site @onEnum

input InputType {
  key: String!
  answer: Int = 42
}

input AnnotatedInput @onInputObject {
  annotatedField: Type @onInputFieldDefinition
}

input UndefinedInput

extend input InputType {
  other: Float = 1.23e4 @onInputFieldDefinition
}

extend input InputType @onInputObject

"""This is a description of the \`@skip\` directive"""
directive @skip(
  """This is a description of the \`if\` argument"""
  if: Boolean! @onArgumentDefinition
) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT

directive @include(if: Boolean!)
  on FIELD
   | FRAGMENT_SPREAD
   | INLINE_FRAGMENT

directive @include2(if: Boolean!) on
  | FIELD
  | FRAGMENT_SPREAD
  | INLINE_FRAGMENT

directive @myRepeatableDir(name: String!) repeatable on
  | OBJECT
  | INTERFACE

extend schema @onSchema

extend schema @onSchema {
  subscription: SubscriptionType
}
`;
add('kitchen-sink-sdl', kitchenSdl);
add('kitchen-sink-sdl-crlf', kitchenSdl.replace(/\n/g, '\r\n'));
add('kitchen-sink-executable-cr', kitchenExec.replace(/\n/g, '\r'));
add('kitchen-sink-executable-minified', '{a:f(a:1,b:"x",c:[1,2],x:{y:$v}){...F ...on T{a}...@d{b}}}fragment F on T{a}');

// A schema-valid executable document: the oracle reports no errors at all.
add('kitchen-sink-schema-valid', `"The one query"
query Everything(
  "an id" $id: ID = "1"
  $any: Any
  $flag: Boolean! = true
  $in: Any = {a: 1, b: ["x"], e: A}
) @d(a: 1) {
  a(a: $any, b: [1, 2.5, "s", true, null, ENUM], c: {x: {y: [$id]}})
  alias: b @skip(if: $flag)
  f(a: $in) {
    ...Parts @d
    ... on Query @include(if: $flag) { c }
    ... { node { id ... on Query { a } } }
  }
  __typename
}

"Fragment description"
fragment Parts on Query {
  id
  q { a(a: """block
  string""") }
}
`);

// ---------------------------------------------------------------------------
// Truncations: each prefix of a document, cut before each of its tokens, so that
// every parser state meets an unexpected <EOF>.
function truncations(prefix, doc) {
  const lexer = new Lexer(new Source(doc));
  const starts = [];
  for (let t = lexer.advance(); t.kind !== TokenKind.EOF; t = lexer.advance()) starts.push(t.start);
  starts.forEach((start, i) => {
    if (i === 0) return;
    add(`${prefix}-${String(i).padStart(3, '0')}`, doc.slice(0, start));
  });
}
truncations('trunc-exec', `"op" query Q("v" $a: [Int!]! = [1] @d, $b: In = {x: 1}) @d(a: 1) {
  x: f(a: $a, b: {c: [$b]}) @d { ...F @d ... on T @d { a } ... { b } }
}
"frag" fragment F on T @d { a }`);
truncations('trunc-sdl', `"s" schema @d { query: Q }
"t" type T implements I & J @d { "f" f("a" a: [Int!]! = [1] @d): T @d }
interface I implements J { f: Int }
union U @d = | A | B
enum E @d { "v" A @d B }
input In @d { a: Int = 1 @d }
scalar S @d
directive @d("a" a: Int = 1) repeatable on FIELD | QUERY
extend schema @d { mutation: M }
extend type T implements K @d { g: Int }
extend union U = C
extend enum E { C }
extend input In { b: Int }
extend scalar S @e
extend interface I @d`);

// ---------------------------------------------------------------------------
// Write the corpus and the oracle's expectations.
fs.mkdirSync(outDir, { recursive: true });
for (const f of fs.readdirSync(outDir)) {
  if (f.endsWith('.graphql') || f.endsWith('.expected')) fs.unlinkSync(path.join(outDir, f));
}
const files = [];
for (const [name, content] of cases) {
  const file = path.join(outDir, `${name}.graphql`);
  fs.writeFileSync(file, content);
  files.push(file);
}
execFileSync(
  process.execPath,
  [path.join(here, 'oracle-batch.mjs'), '--schema', path.join(here, 'schema-syntax.graphql'), '--write-expected', ...files],
  { stdio: 'inherit', env: { ...process.env, GRAPHQL_JS_DIR: gjsDir } },
);
process.stdout.write(`${cases.size} cases written to ${path.relative(process.cwd(), outDir) || '.'}\n`);
