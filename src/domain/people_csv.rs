//! Importing people from a CSV file: `name,email,title,manager_email,timezone`.
//!
//! [`plan`] reads the whole file and either returns every row ready to apply, or every
//! problem it found with its line and column. The store then applies a plan in one
//! transaction, so an import is all or nothing.

use super::person::{EmailAddress, validate_name, validate_title};
use super::reporting::find_cycle;
use super::validation::{FieldError, Invalid};
use super::zone::Zone;
use std::collections::HashMap;

pub const COLUMNS: [&str; 5] = ["name", "email", "title", "manager_email", "timezone"];

/// One valid row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub name: String,
    pub email: EmailAddress,
    pub title: String,
    /// Lower-cased e-mail of the manager, who is in the file or already in rapport.
    pub manager_email: Option<String>,
    pub timezone: Zone,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    pub rows: Vec<ImportRow>,
    /// How many rows name someone not yet in rapport.
    pub new_people: usize,
}

/// How many cells a record has up to its last one that holds something.
fn filled(record: &csv::StringRecord) -> usize {
    (0..record.len()).rev().find(|i| !record[*i].trim().is_empty()).map_or(0, |i| i + 1)
}

/// Reads and checks a whole file. `existing` maps the lower-cased e-mail of everyone already
/// in rapport to their manager's lower-cased e-mail, so that reporting lines can be checked
/// across the file and the organisation together.
pub fn plan(bytes: &[u8], existing: &HashMap<String, Option<String>>) -> Result<ImportPlan, Invalid> {
    let text = &*crate::domain::csv_cells::normalised(decode(bytes)?);
    let mut reader = crate::domain::csv_cells::reader(text);
    let mut records = reader.records();
    let mut lines = crate::domain::csv_cells::Lines::new(text);
    let mut errors = Invalid::default();

    // The header: the five columns, in any order.
    let header = match records.next() {
        None => {
            return Err(Invalid(vec![
                FieldError::new("file", "The file is empty. Its first line must be: name,email,title,manager_email,timezone").at(1, 1),
            ]));
        }
        Some(Err(e)) => return Err(Invalid(vec![csv_error(&mut lines, e)])),
        Some(Ok(h)) => h,
    };
    // Empty columns a spreadsheet leaves at the end of every line are not columns.
    let width = filled(&header);
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for (i, raw) in header.iter().take(width).enumerate() {
        let name = raw.trim().to_ascii_lowercase();
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if index_of.contains_key(c) => {
                errors.push(FieldError::new("header", format!("The column \"{c}\" appears twice.")).at(1, i as u64 + 1))
            }
            Some(c) => {
                index_of.insert(c, i);
            }
            None => errors.push(
                FieldError::new(
                    "header",
                    format!("Unknown column \"{}\"; the columns are name, email, title, manager_email, timezone.", raw.trim()),
                )
                .at(1, i as u64 + 1),
            ),
        }
    }
    for c in COLUMNS {
        if !index_of.contains_key(c) {
            errors.push(FieldError::new("header", format!("The column \"{c}\" is missing from the first line.")).at(1, 1));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let col = |name: &str| index_of[name];
    let delimiter = crate::domain::csv_cells::delimiter(text);

    let mut rows: Vec<ImportRow> = Vec::new();
    let mut line_of_email: HashMap<String, u64> = HashMap::new();
    let mut manager_cells: Vec<(u64, usize, String)> = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_error(&mut lines, e));
                continue;
            }
        };
        // Each problem is on the line where its cell begins (a cell may be quoted across lines).
        let cells = lines.cells(record.position(), delimiter);
        let line = cells.first().map_or(1, |c| c.line);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // blank lines are harmless
        }
        let len = filled(&record).max(record.len().min(width));
        if len != width {
            errors.push(
                FieldError::new("row", format!("This line has {len} columns; the header has {width}."))
                    .at(cells.get(len.min(width)).map_or(line, |c| c.line), (len.min(width) as u64) + 1),
            );
            continue;
        }
        let cell = |name: &str| record.get(col(name)).unwrap_or("");
        let at = |name: &str| col(name) as u64 + 1;
        let mut row_errors = Invalid::default();
        let name = validate_name("name", cell("name"), &mut row_errors);
        let title = validate_title("title", cell("title"), &mut row_errors);
        let email = match EmailAddress::parse(cell("email")) {
            Ok(e) => Some(e),
            Err(m) => {
                row_errors.push(FieldError::new("email", m));
                None
            }
        };
        let timezone = match Zone::parse(cell("timezone")) {
            Ok(tz) => tz,
            Err(m) => {
                row_errors.push(FieldError::new("timezone", m));
                Zone::UTC
            }
        };
        let manager_email = match cell("manager_email").trim() {
            "" => None,
            m => match EmailAddress::parse(m) {
                Ok(e) => Some(e.lower),
                Err(msg) => {
                    row_errors.push(FieldError::new("manager_email", msg));
                    None
                }
            },
        };
        let line_of = |name: &str| cells.get(col(name)).map_or(line, |c| c.line);
        for e in row_errors.0 {
            let (l, c) = (line_of(&e.field), at(&e.field));
            errors.push(e.at(l, c));
        }
        let Some(email) = email else { continue };
        if let Some(first) = line_of_email.get(&email.lower) {
            errors.push(
                FieldError::new("email", format!("{} is already on line {first}; each person appears once.", email.original))
                    .at(line_of("email"), at("email")),
            );
            continue;
        }
        line_of_email.insert(email.lower.clone(), line);
        if let Some(m) = &manager_email {
            if *m == email.lower {
                errors.push(
                    FieldError::new("manager_email", "A person cannot be their own manager.")
                        .at(line_of("manager_email"), at("manager_email")),
                );
                continue;
            }
            manager_cells.push((line_of("manager_email"), col("manager_email") + 1, m.clone()));
        }
        rows.push(ImportRow { line, name, email, title, manager_email, timezone });
    }

    for (line, column, m) in &manager_cells {
        if !line_of_email.contains_key(m) && !existing.contains_key(m) {
            errors.push(
                FieldError::new(
                    "manager_email",
                    format!("No one with the e-mail {m} is in this file or in rapport; add them first or leave the cell empty."),
                )
                .at(*line, *column as u64),
            );
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("file", "The file has a header but no people.").at(2, 1));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Reporting lines after the import: the organisation as it is, overlaid with the file.
    let mut manager_of: HashMap<String, String> = existing.iter().filter_map(|(p, m)| m.clone().map(|m| (p.clone(), m))).collect();
    for r in &rows {
        match &r.manager_email {
            Some(m) => manager_of.insert(r.email.lower.clone(), m.clone()),
            None => manager_of.remove(&r.email.lower),
        };
    }
    if let Some(cycle) = find_cycle(&manager_of) {
        let in_file = cycle.iter().filter_map(|e| line_of_email.get(e)).min().copied().unwrap_or(1);
        let mut shown = cycle.clone();
        shown.push(cycle[0].clone());
        errors.push(
            FieldError::new(
                "manager_email",
                format!("These reporting lines would form a loop: {}. Someone in it must report outside it.", shown.join(" → ")),
            )
            .at(in_file, col("manager_email") as u64 + 1),
        );
        return Err(errors);
    }
    let new_people = rows.iter().filter(|r| !existing.contains_key(&r.email.lower)).count();
    Ok(ImportPlan { rows, new_people })
}

/// The file as text. Invalid UTF-8 is reported at the line and column of the first bad byte.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, Invalid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let line_start = good.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
        // Columns count characters, as an editor shows them.
        let column = std::str::from_utf8(&good[line_start..]).map(|s| s.chars().count()).unwrap_or(0) as u64 + 1;
        Invalid(vec![FieldError::new("file", "The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again.").at(line, column)])
    })
}

fn csv_error(lines: &mut crate::domain::csv_cells::Lines, e: csv::Error) -> FieldError {
    let line = lines.of(e.position());
    FieldError::new("file", format!("This line cannot be read as CSV: {e}")).at(line, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> HashMap<String, Option<String>> {
        HashMap::new()
    }

    const HEADER: &str = "name,email,title,manager_email,timezone\n";

    #[test]
    fn a_valid_file_gives_one_row_per_person_with_its_line() {
        let csv = format!(
            "{HEADER}Ada Lovelace,ada@example.com,Director,,Europe/London\nGrace Hopper,Grace@Example.com,Manager,ada@example.com,America/New_York\n"
        );
        let p = plan(csv.as_bytes(), &none()).unwrap();
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.new_people, 2);
        assert_eq!(p.rows[1].line, 3);
        assert_eq!(p.rows[1].email.lower, "grace@example.com");
        assert_eq!(p.rows[1].manager_email.as_deref(), Some("ada@example.com"));
    }

    #[test]
    fn columns_may_come_in_any_order_and_quoted_cells_may_hold_commas() {
        let csv = "email,name,timezone,title,manager_email\nada@example.com,\"Lovelace, Ada\",UTC,\"Director, Research\",\n";
        let p = plan(csv.as_bytes(), &none()).unwrap();
        assert_eq!(p.rows[0].name, "Lovelace, Ada");
        assert_eq!(p.rows[0].title, "Director, Research");
    }

    #[test]
    fn a_line_break_inside_a_name_is_refused_at_the_line_the_row_starts() {
        let csv = format!("{HEADER}Bo,bo@example.com,,,UTC\n\"Ada\nLovelace\",ada@example.com,,,UTC\n");
        let err = plan(csv.as_bytes(), &none()).unwrap_err();
        assert_eq!((err.0[0].field.as_str(), err.0[0].line, err.0[0].column), ("name", Some(3), Some(1)));
    }

    #[test]
    fn a_file_with_windows_line_endings_is_located_as_one_with_unix_ones() {
        let lf =
            format!("{HEADER}Ada,ada@example.com,Director,,Europe/London\nBo,bo@example,Eng,,UTC\n\nCy,cy@example.com,Eng,,Nowhere/Town\n");
        let crlf = lf.replace('\n', "\r\n");
        let at = |csv: &str| {
            plan(csv.as_bytes(), &none()).unwrap_err().0.iter().map(|e| (e.field.clone(), e.line, e.column)).collect::<Vec<_>>()
        };
        let want: Vec<(String, Option<u64>, Option<u64>)> = vec![("email".into(), Some(3), Some(2)), ("timezone".into(), Some(5), Some(5))];
        assert_eq!((at(&lf), at(&crlf)), (want.clone(), want));
    }

    #[test]
    fn a_spreadsheet_file_with_semicolons_reads_as_the_plain_one() {
        let plain = format!("{HEADER}Ada Lovelace,ada@example.com,\"Director, Research\",,Europe/London\n");
        let semi = plain.replace(',', ";").replace("Director; Research", "Director, Research");
        let (a, b) = (plan(plain.as_bytes(), &none()).unwrap(), plan(format!("\u{feff}{semi}").as_bytes(), &none()).unwrap());
        assert_eq!((b.rows.len(), &b.rows[0].title, &b.rows[0].email.lower), (1, &a.rows[0].title, &a.rows[0].email.lower));
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_column() {
        let csv = format!(
            "{HEADER}Ada,ada@example,Director,,Europe/London\n,bob@example.com,Eng,,Nowhere/Town\nCy,cy@example.com,Eng,zed@example.com,UTC\nDee,dee@example.com,Eng,UTC\n"
        );
        let err = plan(csv.as_bytes(), &none()).unwrap_err();
        let at: Vec<(u64, u64, &str)> = err.0.iter().map(|e| (e.line.unwrap(), e.column.unwrap(), e.field.as_str())).collect();
        assert!(at.contains(&(2, 2, "email")), "{at:?}");
        assert!(at.contains(&(3, 1, "name")), "{at:?}");
        assert!(at.contains(&(3, 5, "timezone")), "{at:?}");
        assert!(at.contains(&(4, 4, "manager_email")), "{at:?}");
        assert!(at.contains(&(5, 5, "row")), "{at:?}");
    }

    #[test]
    fn duplicate_emails_point_at_the_first_occurrence() {
        let csv = format!("{HEADER}Ada,ada@example.com,,,UTC\nAda Again,ADA@example.com,,,UTC\n");
        let err = plan(csv.as_bytes(), &none()).unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert!(err.0[0].message.contains("line 2"));
        assert_eq!((err.0[0].line, err.0[0].column), (Some(3), Some(2)));
    }

    #[test]
    fn a_loop_across_the_file_and_the_organisation_is_refused() {
        // In rapport: b reports to a. The file makes a report to b.
        let existing: HashMap<String, Option<String>> =
            [("a@x.org".to_string(), None), ("b@x.org".to_string(), Some("a@x.org".to_string()))].into_iter().collect();
        let csv = format!("{HEADER}A,a@x.org,,b@x.org,UTC\n");
        let err = plan(csv.as_bytes(), &existing).unwrap_err();
        assert!(err.0[0].message.contains("loop"), "{err}");
        assert_eq!((err.0[0].line, err.0[0].column), (Some(2), Some(4)));
    }

    #[test]
    fn non_utf8_bytes_are_located() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"Ren\xe9,rene@example.com,,,UTC\n");
        let err = plan(&bytes, &none()).unwrap_err();
        assert_eq!((err.0[0].line, err.0[0].column), (Some(2), Some(4)));
    }

    #[test]
    fn a_wrong_header_is_explained() {
        let err = plan(b"name,mail,title,manager_email,timezone\nA,a@x.org,,,UTC\n", &none()).unwrap_err();
        assert!(err.0.iter().any(|e| e.message.contains("Unknown column \"mail\"") && e.column == Some(2)));
        assert!(err.0.iter().any(|e| e.message.contains("\"email\" is missing")));
        assert!(plan(b"", &none()).is_err());
        assert!(plan(HEADER.as_bytes(), &none()).unwrap_err().0[0].message.contains("no people"));
    }

    #[test]
    fn a_byte_order_mark_from_a_spreadsheet_is_ignored() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(format!("{HEADER}A,a@x.org,,,UTC\n").as_bytes());
        assert_eq!(plan(&bytes, &none()).unwrap().rows.len(), 1);
    }
}
