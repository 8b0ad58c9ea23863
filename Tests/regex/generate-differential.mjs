// Writes the ECMAScript oracle for LinearRegexTests: random patterns run by V8 with the `u` flag.
//
//     node Tests/regex/generate-differential.mjs > Tests/ConformKitTests/Fixtures/regex/ecmascript-differential.json
//
// Each case is [pattern, text, match, whole]: `match` is the leftmost match as [start, end] in code points
// (or null), `whole` whether the pattern matches the whole text. The generator is seeded, so the file only
// changes when this script does.
let state = 0x2020_12n;
function next() {
    // SplitMix64, as in the Swift tests.
    state = (state + 0x9E3779B97F4A7C15n) & 0xFFFFFFFFFFFFFFFFn;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & 0xFFFFFFFFFFFFFFFFn;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & 0xFFFFFFFFFFFFFFFFn;
    return Number((z ^ (z >> 31n)) % 1000000n);
}
const pick = (items) => items[next() % items.length];

const atoms = ["a", "b", "c", ".", "[ab]", "[^a]", "[a-c]", "\\w", "\\W", "\\d", "\\s", "x", "é", "\\u{1F600}",
    "[\\s\\d]", "\\p{L}", "\\P{Ll}", "\\b", "\\B", "^", "$"];
const quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,2}", "{0,2}", "{2,}", "{0,1}"];

function pattern(depth) {
    let text = "";
    const terms = 1 + (next() % 3);
    for (let i = 0; i < terms; i++) {
        let atom;
        if (depth < 3 && next() % 4 === 0) {
            let inner = pattern(depth + 1);
            while (next() % 2 === 0) inner += "|" + pattern(depth + 1);
            atom = pick(["(", "(?:", "(?<g" + depth + i + ">"]) + inner + ")";
        } else {
            atom = pick(atoms);
        }
        const isAssertion = ["^", "$", "\\b", "\\B"].includes(atom);
        const quantifier = isAssertion ? "" : pick(quantifiers);
        text += atom + quantifier + (quantifier && next() % 3 === 0 ? "?" : "");
    }
    return text;
}

const alphabet = ["a", "b", "c", "x", " ", "1", "é", "A", "\u{1F600}", "\n"];
function text() {
    let result = "";
    const length = next() % 8;
    for (let i = 0; i < length; i++) result += pick(alphabet.slice(0, 4 + (next() % alphabet.length)));
    return result;
}

const codePoints = (s, units) => [...s.slice(0, units)].length;
const count = Number(process.env.CASES ?? 3000);
const cases = [];
const seen = new Set();
while (cases.length < count) {
    const source = pattern(0);
    if (seen.has(source)) continue;
    seen.add(source);
    let search, whole;
    try {
        search = new RegExp(source, "u");
        whole = new RegExp("^(?:" + source + ")$", "u");
    } catch {
        continue;
    }
    for (let i = 0; i < 2 && cases.length < count; i++) {
        const t = text();
        const found = search.exec(t);
        // V8 tries an empty match between the two halves of a surrogate pair even with `u`; ECMA-262 and
        // conform step over whole code points, so such cases are left out.
        const splitsPair = (units) => units > 0 && units < t.length && /[\uD800-\uDBFF]/.test(t[units - 1]);
        if (found !== null && (splitsPair(found.index) || splitsPair(found.index + found[0].length))) continue;
        const match = found === null ? null : [codePoints(t, found.index), codePoints(t, found.index + found[0].length)];
        cases.push([source, t, match, whole.test(t)]);
    }
}
process.stdout.write("[\n" + cases.map((c) => JSON.stringify(c)).join(",\n") + "\n]\n");
