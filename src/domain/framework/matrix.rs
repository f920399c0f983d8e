//! The spreadsheet matrix in CSV: rows = competencies, columns = levels, cells = expectations.

use super::Framework;
use super::raw::{Loc, Raw, RawArea, RawCompetency, RawTrack, Text, clean};
use crate::domain::validation::{FieldError, Invalid};

/// Reads a matrix: an optional first row `name,<the framework's name>` (which wins over `name`,
/// the name given with the file), an optional row `track,,,Track A,,Track B,…` (a blank cell continues
/// the track to its left, as merged cells export), then `area,competency[,description],level…`,
/// then one row per competency. A blank area continues the area above.
pub(super) fn from_csv(text: &str, name: &str) -> Result<(Raw, Invalid), Invalid> {
    // Cells are normalised to LF; lines are counted as everywhere else (`csv_cells::Lines`).
    let text = crate::domain::csv_cells::normalised(text);
    let mut reader = crate::domain::csv_cells::reader(&text);
    let mut lines = crate::domain::csv_cells::Lines::new(&text);
    let mut errors = Invalid::default();
    let mut rows: Vec<(u64, csv::StringRecord)> = Vec::new();
    for r in reader.records() {
        match r {
            Ok(rec) => {
                let line = lines.of(rec.position());
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                // Cells rapport wrote with a quote before a formula character get it back off.
                let rec: csv::StringRecord = rec.iter().map(crate::domain::csv_cells::unescape).collect();
                rows.push((line, rec));
            }
            Err(e) => {
                let line = lines.of(e.position());
                return Err(Invalid(vec![FieldError::new("file", format!("This line cannot be read as CSV: {e}")).at(line, 1)]));
            }
        }
    }
    let mut raw = Raw { name: Some(Text { value: clean(name), loc: Loc { line: 1, col: 1 } }), ..Raw::default() };
    let mut rows = rows.into_iter().peekable();
    let first_cell_is = |rows: &mut std::iter::Peekable<std::vec::IntoIter<(u64, csv::StringRecord)>>, word: &str| {
        rows.peek().is_some_and(|(_, r)| r.get(0).is_some_and(|c| c.trim().eq_ignore_ascii_case(word)))
    };
    if first_cell_is(&mut rows, "name") {
        let (line, r) = rows.next().unwrap_or_default();
        raw.name = Some(Text { value: clean(r.get(1).unwrap_or("")), loc: Loc { line, col: 2 } });
    } else if name.trim().is_empty() {
        errors.push(
            FieldError::new("name", "This matrix does not name its framework: add a first line name,<its name>, or give it a name.")
                .at(1, 1),
        );
    }
    let track_row = if first_cell_is(&mut rows, "track") { rows.next() } else { None };
    let Some((hline, header)) = rows.next() else {
        return Err(Invalid(vec![
            FieldError::new(
                "file",
                "The file has no header. Its first line must be: area,competency,description, then one column per level.",
            )
            .at(1, 1),
        ]));
    };
    let h = |i: usize| header.get(i).map(|c| c.trim().to_ascii_lowercase()).unwrap_or_default();
    if h(0) != "area" {
        errors.push(FieldError::new("header", "The first column must be \"area\".").at(hline, 1));
    }
    if h(1) != "competency" {
        errors.push(FieldError::new("header", "The second column must be \"competency\".").at(hline, 2));
    }
    let first_level = if h(2) == "description" { 3 } else { 2 };
    // Empty columns a spreadsheet leaves after the last level are not levels.
    let width = (0..header.len()).rev().find(|i| !header[*i].trim().is_empty()).map_or(0, |i| i + 1).max(2);
    if width <= first_level {
        errors.push(
            FieldError::new("header", "The header names no levels: add one column per level after the competency and its description.")
                .at(hline, width as u64 + 1),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Levels and their tracks.
    let mut current_track: Option<Text> = None;
    for i in first_level..width {
        let level = Text { value: clean(header.get(i).unwrap_or("")), loc: Loc { line: hline, col: i as u64 + 1 } };
        let track_name = match &track_row {
            Some((tline, tr)) => {
                let cell = clean(tr.get(i).unwrap_or(""));
                if !cell.is_empty() {
                    current_track = Some(Text { value: cell, loc: Loc { line: *tline, col: i as u64 + 1 } });
                }
                match &current_track {
                    Some(t) => t.clone(),
                    None => {
                        errors
                            .push(FieldError::new("track", "The first level column needs the name of its track.").at(*tline, i as u64 + 1));
                        Text { value: "?".into(), loc: Loc { line: *tline, col: i as u64 + 1 } }
                    }
                }
            }
            None => Text { value: "Default".into(), loc: Loc { line: 1, col: i as u64 + 1 } },
        };
        match raw.tracks.last_mut() {
            Some(t) if t.name.value == track_name.value => t.levels.push(level),
            _ => raw.tracks.push(RawTrack { name: track_name, levels: vec![level] }),
        }
    }
    if let Some((tline, tr)) = &track_row
        && beyond(tr, width)
    {
        errors.push(
            FieldError::new("row", format!("This line has {} columns; the header has {width}.", tr.len())).at(*tline, width as u64 + 1),
        );
    }
    let level_names: Vec<Text> = raw.tracks.iter().flat_map(|t| t.levels.iter().cloned()).collect();
    raw.areas_loc = Loc { line: hline + 1, col: 1 };
    for (line, mut rec) in rows {
        if !beyond(&rec, width) {
            rec.truncate(width);
        }
        if rec.len() != width {
            errors.push(
                FieldError::new("row", format!("This line has {} columns; the header has {width}.", rec.len()))
                    .at(line, rec.len().min(width) as u64 + 1),
            );
            continue;
        }
        // Where each cell starts: a quoted cell may span lines.
        let mut locs = Vec::with_capacity(width);
        let mut l = line;
        for (i, cell) in rec.iter().enumerate() {
            locs.push(Loc { line: l, col: i as u64 + 1 });
            l += cell.matches('\n').count() as u64;
        }
        let area = Text { value: clean(&rec[0]), loc: locs[0] };
        let comp = RawCompetency {
            name: Text { value: clean(&rec[1]), loc: locs[1] },
            description: if first_level == 3 { Text { value: clean(&rec[2]), loc: locs[2] } } else { Text::default() },
            expectations: level_names
                .iter()
                .enumerate()
                .map(|(j, lv)| (lv.clone(), Text { value: clean(&rec[first_level + j]), loc: locs[first_level + j] }))
                .collect(),
            expectations_loc: locs[first_level],
        };
        // An empty area cell continues the area above; an area met again gathers its rows
        // wherever they are in the file.
        let same =
            if area.value.is_empty() { raw.areas.len().checked_sub(1) } else { raw.areas.iter().position(|a| a.name.value == area.value) };
        match same {
            Some(i) => raw.areas[i].competencies.push(comp),
            None => raw.areas.push(RawArea { name: area, competencies: vec![comp] }),
        }
    }
    Ok((raw, errors))
}

/// Whether a line holds something past the header's `width` columns (empty cells there are
/// what spreadsheets leave and are ignored).
fn beyond(rec: &csv::StringRecord, width: usize) -> bool {
    rec.iter().skip(width).any(|c| !c.trim().is_empty())
}

pub(super) fn export_csv(f: &Framework) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut track_row = vec!["track".to_string(), String::new(), String::new()];
    for t in &f.tracks {
        for (i, _) in t.levels.iter().enumerate() {
            track_row.push(if i == 0 { t.name.clone() } else { String::new() });
        }
    }
    let mut header = vec!["area".to_string(), "competency".to_string(), "description".to_string()];
    header.extend(f.levels().iter().map(|l| l.name.to_string()));
    // Every cell is neutralised for spreadsheets (CSV injection); writing to a Vec cannot fail.
    let mut write = |row: &[String]| {
        let _ = w.write_record(row.iter().map(|c| crate::domain::csv_cells::escape(c)));
    };
    // The name first, so that the file imports back to the same framework (padded to the
    // header's width, as a spreadsheet saves it).
    let mut name_row = vec!["name".to_string(), f.name.clone()];
    name_row.resize(header.len(), String::new());
    write(&name_row);
    write(&track_row);
    write(&header);
    for a in &f.areas {
        for c in &a.competencies {
            let mut row = vec![a.name.clone(), c.name.clone(), c.description.clone()];
            row.extend(c.expectations.iter().cloned());
            write(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
