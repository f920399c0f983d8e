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
