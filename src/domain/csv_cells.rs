//! Spreadsheet formulas in CSV files (CSV injection): every CSV file rapport writes passes its
//! cells through [`escape`], and every CSV file it reads back through [`unescape`].
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and some treat
//! a leading tab or carriage return the same way. Following the OWASP guidance, such a cell
//! is written with a single quote in front, which spreadsheets show as text. To keep
//! import → export → import exact, the rule is reversible: a cell that already starts with
//! quotes followed by one of those characters gets one more quote, and reading drops exactly
//! one quote from a cell of that shape. Every other cell is written and read as it is.

/// The first characters that make a spreadsheet run a cell.
pub const DANGEROUS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `cell` is some quotes (possibly none) followed by a dangerous character.
fn quoted_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(DANGEROUS)
}

/// The cell as written to a CSV file: never starting with a dangerous character.
pub fn escape(cell: &str) -> String {
    if quoted_formula(cell) { format!("'{cell}") } else { cell.to_string() }
}

/// The cell as read from a CSV file: undoes [`escape`].
pub fn unescape(cell: &str) -> &str {
    if cell.starts_with('\'') && quoted_formula(cell) { &cell[1..] } else { cell }
}

/// A CSV text as every importer reads it: without a byte-order mark, and with every `\r\n`
/// made `\n` (the csv crate places a record that follows a `\r\n` on the `\n`, one line
/// early; a browser sends a pasted textarea with `\r\n`). Cells spanning lines keep their
/// breaks, as `\n`.
pub fn normalised(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') { std::borrow::Cow::Owned(text.replace("\r\n", "\n")) } else { std::borrow::Cow::Borrowed(text) }
}

/// The character that separates cells, read from the first line: a comma, or the semicolon
/// spreadsheets write where the comma is the decimal mark, or a tab; whichever the first line
/// holds most of outside quotes (a comma when none).
pub fn delimiter(text: &str) -> u8 {
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for ch in text.chars().take_while(|c| *c != '\n') {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0);
    if most == 0 || counts[0] == most {
        b','
    } else if counts[1] == most {
        b';'
    } else {
        b'\t'
    }
}

/// A reader of `text` (already [`normalised`]) with its [`delimiter`], records of any length.
pub fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(text)).from_reader(text.as_bytes())
}

/// The line (1-based, as an editor shows it) of byte offsets of a CSV text met in increasing
/// order, as each record's position gives them, in a text read through [`normalised`]. Every
/// CSV importer locates problems with it: the csv crate's own line numbers are one short for
/// each blank line before a record.
/// Where a cell begins: its line, its 1-based character column, and whether it is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellAt {
    pub line: u64,
    pub column: u64,
    pub quoted: bool,
}

/// Where each cell of the record at the start of `text` begins, the record starting on `line`: a
/// cell after one quoted across lines is on a later line than the record's first.
pub fn cell_starts(text: &str, line: u64, delimiter: u8) -> Vec<CellAt> {
    let delimiter = char::from(delimiter);
    let (mut line, mut column, mut quoted, mut fresh) = (line, 1u64, false, true);
    let mut out = vec![];
    for ch in text.chars() {
        if fresh {
            out.push(CellAt { line, column, quoted: ch == '"' });
            fresh = false;
        }
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            '\n' => (line, column) = (line + 1, 0),
            c if c == delimiter && !quoted => fresh = true,
            _ => {}
        }
        column += 1;
    }
    if fresh {
        out.push(CellAt { line, column, quoted: false });
    }
    out
}

pub struct Lines<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Lines { text: text.as_bytes(), byte: 0, line: 1 }
    }

    /// The line byte `byte` stands on (counting on from the last offset asked, so a whole file
    /// costs one pass).
    pub fn at(&mut self, byte: u64) -> u64 {
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        if byte < self.byte {
            (self.byte, self.line) = (0, 1);
        }
        self.line += self.text[self.byte..byte].iter().filter(|b| **b == b'\n').count() as u64;
        self.byte = byte;
        self.line
    }

    /// The line of a record, or of the place a CSV error was found. The csv crate places a
    /// record after blank lines at the first of them; a record never begins with a line break
    /// (the reader skips blank lines), so those are stepped over.
    /// Where each cell of the record at `position` begins (see [`cell_starts`]).
    pub fn cells(&mut self, position: Option<&csv::Position>, delimiter: u8) -> Vec<CellAt> {
        let line = self.of(position);
        let start = position.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX).min(self.text.len()));
        let blank = self.text[start..].iter().take_while(|b| **b == b'\n').count();
        cell_starts(std::str::from_utf8(&self.text[start + blank..]).unwrap_or(""), line, delimiter)
    }

    pub fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(p) = position else { return 1 };
        let start = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(self.text.len());
        let blank = self.text[start..].iter().take_while(|b| **b == b'\n').count();
        self.at((start + blank) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text_and_come_back() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+SUM(1,2)", "'+SUM(1,2)"),
            ("-2+3", "'-2+3"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''-x", "'''-x"),
            ("'quoted'", "'quoted'"),
            ("'", "'"),
            ("", ""),
            ("a=b", "a=b"),
            (" =x", " =x"),
        ] {
            assert_eq!(escape(cell), written, "{cell:?}");
            assert_eq!(unescape(written), cell, "{written:?}");
        }
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "['=+@\t\r-]{0,4}[a-z'=\\-]{0,6}", "'{0,3}[=+@\t\r-]?.{0,5}"]
    }

    #[test]
    fn a_cell_after_one_quoted_across_lines_is_found_on_its_own_line() {
        let at = |t: &str, d: u8| cell_starts(t, 2, d).iter().map(|c| (c.line, c.column, c.quoted)).collect::<Vec<_>>();
        assert_eq!(at("a,\"b\nc\",d\nnext", b','), vec![(2, 1, false), (2, 3, true), (3, 4, false)]);
        assert_eq!(at("x;;\"y\"", b';'), vec![(2, 1, false), (2, 3, false), (2, 4, true)]);
        assert_eq!(at("x,", b','), vec![(2, 1, false), (2, 3, false)]);
    }

    proptest! {
        #[test]
        fn unescape_undoes_escape_and_escape_never_starts_a_formula(s in cell()) {
            let written = escape(&s);
            prop_assert_eq!(unescape(&written), s.as_str());
            prop_assert!(!written.starts_with(DANGEROUS), "{:?}", written);
            // A cell that needs no escape reads back as it is.
            if written == s {
                prop_assert_eq!(unescape(&s), s.as_str());
            }
        }
    }
}
