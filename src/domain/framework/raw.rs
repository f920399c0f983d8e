//! What a file said, with where it said it, before the rules are checked.

/// A place in the file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Loc {
    pub(super) line: u64,
    pub(super) col: u64,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Text {
    pub(super) value: String,
    pub(super) loc: Loc,
}

/// What a file said, with where it said it, before the rules are checked.
#[derive(Debug, Default)]
pub(super) struct Raw {
    pub(super) name: Option<Text>,
    pub(super) tracks: Vec<RawTrack>,
    pub(super) tracks_loc: Loc,
    pub(super) areas: Vec<RawArea>,
    pub(super) areas_loc: Loc,
}

#[derive(Debug, Default)]
pub(super) struct RawTrack {
    pub(super) name: Text,
    pub(super) levels: Vec<Text>,
}

#[derive(Debug, Default)]
pub(super) struct RawArea {
    pub(super) name: Text,
    pub(super) competencies: Vec<RawCompetency>,
}

#[derive(Debug, Default)]
pub(super) struct RawCompetency {
    pub(super) name: Text,
    pub(super) description: Text,
    /// (level named, expectation)
    pub(super) expectations: Vec<(Text, Text)>,
    /// Where a missing expectation is reported.
    pub(super) expectations_loc: Loc,
}

/// A value as read: Windows line ends made `\n`, blanks around it dropped.
pub(super) fn clean(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_string()
}

/// What is wrong in a JSON file, in our words (the place is given beside it).
pub(super) fn json_problem(e: &serde_json::Error) -> &'static str {
    let said = e.to_string();
    let known: [(&str, &'static str); 17] = [
        ("trailing comma", "a comma is followed by nothing; remove it."),
        ("expected `,` or `}`", "a comma or } is missing before this."),
        ("expected `,` or `]`", "a comma or ] is missing before this."),
        ("key must be a string", "a key must be text in double quotes."),
        ("expected `:`", "a : is missing between a key and its value."),
        ("expected value", "a value is expected here: text in double quotes, a number, true, false, null, a list or keys and values."),
        ("expected ident", "this word is not JSON: write true, false or null, or put text in double quotes."),
        ("EOF while parsing a list", "the file ends inside a list: a ] is missing."),
        ("EOF while parsing an object", "the file ends inside keys and values: a } is missing."),
        ("EOF while parsing a string", "the file ends inside text: a closing \" is missing."),
        ("EOF while parsing", "the file ends where a value is expected."),
        ("control character", "text in quotes holds a line break or a tab; write \\n or \\t instead."),
        ("invalid escape", "a backslash starts an escape JSON does not know; write \\\\ for a backslash."),
        ("trailing characters", "something follows the end of the JSON."),
        ("invalid number", "this number cannot be read."),
        ("number out of range", "this number is too large."),
        ("unicode", "a \\u escape does not name a character."),
    ];
    known.iter().find(|(k, _)| said.contains(k)).map_or("this cannot be read.", |(_, ours)| ours)
}
