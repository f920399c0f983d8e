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
