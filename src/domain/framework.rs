//! Career frameworks: tracks and their levels, competencies grouped in areas, and what each
//! competency expects at each level.
//!
//! Three shapes come in and go out: the rapport format in YAML or JSON (documented by
//! `frameworks/framework.schema.json`) and a spreadsheet matrix in CSV (rows = competencies,
//! columns = levels, cells = expectations). [`parse`] reads a whole file into a [`Framework`]
//! or returns every problem with its line and column; [`export`] writes one back, so that
//! `parse(export(f)) == f` and `export(parse(x)) == x` for a file rapport wrote.

use super::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 8000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Framework {
    pub name: String,
    pub tracks: Vec<Track>,
    pub areas: Vec<Area>,
}

/// A career track (individual contributor, manager…) and its levels, lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Track {
    pub name: String,
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Area {
    pub name: String,
    pub competencies: Vec<Competency>,
}

/// A competency and its expectation at every level of every track, in [`Framework::levels`]
/// order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Competency {
    pub name: String,
    pub description: String,
    pub expectations: Vec<String>,
}

/// A level with the track it belongs to and its place in that track (0 = lowest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRef<'a> {
    pub track: &'a str,
    pub name: &'a str,
    pub rank: usize,
    /// Position in [`Framework::levels`] (the column of the matrix).
    pub column: usize,
}

impl Framework {
    /// Every level of every track, in order: the columns of the matrix.
    pub fn levels(&self) -> Vec<LevelRef<'_>> {
        let mut out = Vec::new();
        for t in &self.tracks {
            for (rank, l) in t.levels.iter().enumerate() {
                let column = out.len();
                out.push(LevelRef { track: &t.name, name: l, rank, column });
            }
        }
        out
    }

    pub fn level(&self, name: &str) -> Option<LevelRef<'_>> {
        self.levels().into_iter().find(|l| l.name == name)
    }

    /// The level after `name` in its track, if there is one.
    pub fn next_level(&self, name: &str) -> Option<LevelRef<'_>> {
        let here = self.level(name)?;
        self.levels().into_iter().find(|l| l.track == here.track && l.rank == here.rank + 1)
    }

    pub fn competencies(&self) -> impl Iterator<Item = (&Area, &Competency)> {
        self.areas.iter().flat_map(|a| a.competencies.iter().map(move |c| (a, c)))
    }

    pub fn competency(&self, name: &str) -> Option<&Competency> {
        self.competencies().map(|(_, c)| c).find(|c| c.name == name)
    }

    /// What `competency` expects at `level`.
    pub fn expectation(&self, competency: &str, level: &str) -> Option<&str> {
        let col = self.level(level)?.column;
        self.competency(competency)?.expectations.get(col).map(String::as_str)
    }

    /// Counts for an import preview.
    pub fn summary(&self) -> Summary {
        let levels = self.levels().len();
        let competencies = self.competencies().count();
        Summary { tracks: self.tracks.len(), levels, areas: self.areas.len(), competencies, expectations: levels * competencies }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub tracks: usize,
    pub levels: usize,
    pub areas: usize,
    pub competencies: usize,
    pub expectations: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Yaml,
    Json,
    Csv,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Yaml, Format::Json, Format::Csv];

    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_file_name(name: &str) -> Option<Format> {
        name.rsplit_once('.').and_then(|(_, ext)| Format::parse(ext))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Yaml => "application/yaml; charset=utf-8",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A place in the file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Loc {
    line: u64,
    col: u64,
}

#[derive(Debug, Clone, Default)]
struct Text {
    value: String,
    loc: Loc,
}

/// What a file said, with where it said it, before the rules are checked.
#[derive(Debug, Default)]
struct Raw {
    name: Option<Text>,
    tracks: Vec<RawTrack>,
    tracks_loc: Loc,
    areas: Vec<RawArea>,
    areas_loc: Loc,
}

#[derive(Debug, Default)]
struct RawTrack {
    name: Text,
    levels: Vec<Text>,
}

#[derive(Debug, Default)]
struct RawArea {
    name: Text,
    competencies: Vec<RawCompetency>,
}

#[derive(Debug, Default)]
struct RawCompetency {
    name: Text,
    description: Text,
    /// (level named, expectation)
    expectations: Vec<(Text, Text)>,
    /// Where a missing expectation is reported.
    expectations_loc: Loc,
}

/// Reads and checks a whole file. `csv_name` names the framework for a CSV matrix, which has
/// no place for it.
pub fn parse(bytes: &[u8], format: Format, csv_name: &str) -> Result<Framework, Invalid> {
    if bytes.len() > MAX_BYTES {
        let (line, col) = position_of(bytes, MAX_BYTES);
        return Err(Invalid(vec![
            FieldError::new(
                "file",
                format!("The file is {} bytes; the limit is {MAX_BYTES} bytes (1 MiB). It goes past the limit here.", bytes.len()),
            )
            .at(line, col),
        ]));
    }
    let text = super::people_csv::decode(bytes)?;
    let raw = match format {
        Format::Yaml => from_tree(&yaml_tree(text)?)?,
        Format::Json => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                return Err(Invalid(vec![
                    FieldError::new("file", format!("This is not valid JSON: {e}")).at(e.line() as u64, e.column().max(1) as u64),
                ]));
            }
            // JSON is YAML; tabs are only whitespace outside JSON strings, where YAML dislikes them.
            from_tree(&yaml_tree(&text.replace('\t', " "))?)?
        }
        Format::Csv => {
            // Rows of the wrong width are reported along with everything else.
            let (raw, mut errors) = from_csv(text, csv_name)?;
            if !errors.is_empty() {
                if let Err(more) = validate(raw) {
                    // Not "no competencies" when the rows were there but unreadable.
                    errors.0.extend(more.0.into_iter().filter(|e| e.field != "areas"));
                }
                errors.0.sort_by_key(|e| (e.line, e.column));
                return Err(errors);
            }
            raw
        }
    };
    validate(raw)
}

/// Line and column (characters) of byte `index`.
fn position_of(bytes: &[u8], index: usize) -> (u64, u64) {
    let before = &bytes[..index.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let start = before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() as u64 + 1;
    (line, col)
}

fn clean(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_string()
}

// The YAML (and JSON) tree, each node with its place.

#[derive(Debug)]
struct Node {
    loc: Loc,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Alias,
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<(Node, Option<Node>)>,
    root: Option<Node>,
}

impl TreeBuilder {
    fn attach(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node)
                }
            }
            Some((parent, pending)) => match &mut parent.kind {
                Kind::Seq(items) => items.push(node),
                Kind::Map(entries) => match pending.take() {
                    None => *pending = Some(node),
                    Some(key) => entries.push((key, node)),
                },
                _ => {}
            },
        }
    }
}

impl yaml_rust2::parser::MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, ev: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        let loc = Loc { line: mark.line() as u64, col: mark.col() as u64 + 1 };
        match ev {
            Event::Scalar(s, ..) => self.attach(Node { loc, kind: Kind::Scalar(s) }),
            Event::Alias(_) => self.attach(Node { loc, kind: Kind::Alias }),
            Event::SequenceStart(..) => self.stack.push((Node { loc, kind: Kind::Seq(Vec::new()) }, None)),
            Event::MappingStart(..) => self.stack.push((Node { loc, kind: Kind::Map(Vec::new()) }, None)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((mut node, _)) = self.stack.pop() {
                    // A block mapping is best pointed at by its first key.
                    if let Kind::Map(entries) = &node.kind
                        && let Some((k, _)) = entries.first()
                    {
                        node.loc = k.loc;
                    }
                    self.attach(node)
                }
            }
            _ => {}
        }
    }
}

fn yaml_tree(text: &str) -> Result<Node, Invalid> {
    let mut b = TreeBuilder::default();
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, false) {
        let m = e.marker();
        return Err(Invalid(vec![
            FieldError::new("file", format!("This cannot be read: {}.", e.info())).at(m.line() as u64, m.col() as u64 + 1),
        ]));
    }
    b.root.ok_or_else(|| Invalid(vec![FieldError::new("file", "The file is empty.").at(1, 1)]))
}

fn err(field: &str, loc: Loc, msg: impl Into<String>) -> FieldError {
    FieldError::new(field, msg).at(loc.line, loc.col)
}

/// The entries of a mapping, refusing keys not in `allowed` and keys given twice.
fn map_entries<'a>(node: &'a Node, what: &str, allowed: &[&str], errors: &mut Invalid) -> HashMap<String, &'a Node> {
    let mut out = HashMap::new();
    let Kind::Map(entries) = &node.kind else {
        errors.push(err(what, node.loc, format!("Expected {what} here, written as keys and values.")));
        return out;
    };
    for (k, v) in entries {
        let Kind::Scalar(key) = &k.kind else {
            errors.push(err(what, k.loc, "A key must be plain text."));
            continue;
        };
        if !allowed.contains(&key.as_str()) {
            errors.push(err(key, k.loc, format!("Unknown key \"{key}\" in {what}; the keys are: {}.", allowed.join(", "))));
        } else if out.insert(key.clone(), v).is_some() {
            errors.push(err(key, k.loc, format!("The key \"{key}\" appears twice in {what}.")));
        }
    }
    out
}

fn scalar(node: &Node, field: &str, errors: &mut Invalid) -> Text {
    match &node.kind {
        Kind::Scalar(s) => Text { value: clean(s), loc: node.loc },
        _ => {
            errors.push(err(field, node.loc, format!("The {field} must be text.")));
            Text { value: String::new(), loc: node.loc }
        }
    }
}

fn seq<'a>(node: &'a Node, field: &str, errors: &mut Invalid) -> &'a [Node] {
    match &node.kind {
        Kind::Seq(items) => items,
        _ => {
            errors.push(err(field, node.loc, format!("The {field} must be a list.")));
            &[]
        }
    }
}

fn from_tree(root: &Node) -> Result<Raw, Invalid> {
    let mut errors = Invalid::default();
    let mut raw = Raw::default();
    let top = map_entries(root, "the framework", &["name", "tracks", "areas"], &mut errors);
    raw.name = top.get("name").map(|n| scalar(n, "name", &mut errors));
    raw.tracks_loc = root.loc;
    raw.areas_loc = root.loc;
    if let Some(tracks) = top.get("tracks") {
        raw.tracks_loc = tracks.loc;
        for t in seq(tracks, "tracks", &mut errors) {
            let m = map_entries(t, "a track", &["name", "levels"], &mut errors);
            let mut track = RawTrack { name: Text { value: String::new(), loc: t.loc }, levels: Vec::new() };
            if let Some(n) = m.get("name") {
                track.name = scalar(n, "name", &mut errors);
            }
            match m.get("levels") {
                Some(ls) => track.levels = seq(ls, "levels", &mut errors).iter().map(|l| scalar(l, "level", &mut errors)).collect(),
                None => errors.push(err("levels", t.loc, "This track has no levels: add \"levels\", lowest first.")),
            }
            raw.tracks.push(track);
        }
    }
    if let Some(areas) = top.get("areas") {
        raw.areas_loc = areas.loc;
        for a in seq(areas, "areas", &mut errors) {
            let m = map_entries(a, "an area", &["name", "competencies"], &mut errors);
            let mut area = RawArea { name: Text { value: String::new(), loc: a.loc }, competencies: Vec::new() };
            if let Some(n) = m.get("name") {
                area.name = scalar(n, "name", &mut errors);
            }
            match m.get("competencies") {
                Some(cs) => {
                    for c in seq(cs, "competencies", &mut errors) {
                        let cm = map_entries(c, "a competency", &["name", "description", "expectations"], &mut errors);
                        let mut comp = RawCompetency {
                            name: Text { value: String::new(), loc: c.loc },
                            description: Text::default(),
                            expectations: Vec::new(),
                            expectations_loc: c.loc,
                        };
                        if let Some(n) = cm.get("name") {
                            comp.name = scalar(n, "name", &mut errors);
                        }
                        if let Some(d) = cm.get("description") {
                            comp.description = scalar(d, "description", &mut errors);
                        }
                        if let Some(e) = cm.get("expectations") {
                            comp.expectations_loc = e.loc;
                            match &e.kind {
                                Kind::Map(entries) => {
                                    for (k, v) in entries {
                                        comp.expectations.push((scalar(k, "level", &mut errors), scalar(v, "expectation", &mut errors)));
                                    }
                                }
                                _ => errors.push(err(
                                    "expectations",
                                    e.loc,
                                    "The expectations must map each level's name to what it expects.",
                                )),
                            }
                        }
                        area.competencies.push(comp);
                    }
                }
                None => errors.push(err("competencies", a.loc, "This area has no competencies.")),
            }
            raw.areas.push(area);
        }
    }
    if errors.is_empty() { Ok(raw) } else { Err(errors) }
}

/// Reads a matrix: an optional first row `track,,,Track A,,Track B,…` (a blank cell continues
/// the track to its left, as merged cells export), then `area,competency[,description],level…`,
/// then one row per competency. A blank area continues the area above.
fn from_csv(text: &str, name: &str) -> Result<(Raw, Invalid), Invalid> {
    // The csv crate counts a CRLF-terminated record as starting on the line before; with LF
    // only, every line number is right. (Cells are normalised to LF anyway.)
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut errors = Invalid::default();
    let mut rows: Vec<(u64, csv::StringRecord)> = Vec::new();
    for r in reader.records() {
        match r {
            Ok(rec) => {
                let line = rec.position().map(|p| p.line()).unwrap_or(0);
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                // Cells rapport wrote with a quote before a formula character get it back off.
                let rec: csv::StringRecord = rec.iter().map(super::csv_cells::unescape).collect();
                rows.push((line, rec));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(Invalid(vec![FieldError::new("file", format!("This line cannot be read as CSV: {e}")).at(line, 1)]));
            }
        }
    }
    let mut raw = Raw { name: Some(Text { value: clean(name), loc: Loc { line: 1, col: 1 } }), ..Raw::default() };
    let mut rows = rows.into_iter().peekable();
    let track_row = match rows.peek() {
        Some((_, r)) if r.get(0).map(|c| c.trim().eq_ignore_ascii_case("track")).unwrap_or(false) => rows.next(),
        _ => None,
    };
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
    let width = header.len();
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
        && tr.len() > width
    {
        errors.push(
            FieldError::new("row", format!("This line has {} columns; the header has {width}.", tr.len())).at(*tline, width as u64 + 1),
        );
    }
    let level_names: Vec<Text> = raw.tracks.iter().flat_map(|t| t.levels.iter().cloned()).collect();
    raw.areas_loc = Loc { line: hline + 1, col: 1 };
    for (line, rec) in rows {
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
        match raw.areas.last_mut() {
            Some(a) if area.value.is_empty() || a.name.value == area.value => a.competencies.push(comp),
            _ => raw.areas.push(RawArea { name: area, competencies: vec![comp] }),
        }
    }
    Ok((raw, errors))
}

fn check_text(t: &Text, field: &str, what: &str, max: usize, errors: &mut Invalid) {
    if t.value.is_empty() {
        errors.push(err(field, t.loc, format!("{what} is empty.")));
    } else if t.value.chars().count() > max {
        errors.push(err(field, t.loc, format!("{what} is longer than {max} characters.")));
    } else if field != "expectation" && field != "description" && t.value.contains('\n') {
        errors.push(err(field, t.loc, format!("{what} must fit on one line.")));
    }
}

/// The rules every framework follows, whatever shape it came in.
fn validate(raw: Raw) -> Result<Framework, Invalid> {
    let mut errors = Invalid::default();
    let name = match raw.name {
        Some(n) => {
            check_text(&n, "name", "The framework's name", MAX_NAME, &mut errors);
            n.value
        }
        None => {
            errors.push(err("name", Loc { line: 1, col: 1 }, "The framework has no name: add \"name\"."));
            String::new()
        }
    };
    if raw.tracks.is_empty() {
        errors.push(err("tracks", raw.tracks_loc, "The framework has no tracks or levels: add at least one track with its levels."));
    }
    let mut track_seen: HashMap<String, Loc> = HashMap::new();
    let mut level_seen: HashMap<String, Loc> = HashMap::new();
    for t in &raw.tracks {
        check_text(&t.name, "track", "A track's name", MAX_NAME, &mut errors);
        if let Some(first) = track_seen.insert(t.name.value.to_lowercase(), t.name.loc) {
            errors.push(err("track", t.name.loc, format!("The track \"{}\" is already on line {}.", t.name.value, first.line)));
        }
        if t.levels.is_empty() {
            errors.push(err("levels", t.name.loc, format!("The track \"{}\" has no levels.", t.name.value)));
        }
        for l in &t.levels {
            check_text(l, "level", "A level's name", MAX_NAME, &mut errors);
            if !l.value.is_empty()
                && let Some(first) = level_seen.insert(l.value.to_lowercase(), l.loc)
            {
                errors.push(err(
                    "level",
                    l.loc,
                    format!("The level \"{}\" is already at line {}, column {}; level names are unique.", l.value, first.line, first.col),
                ));
            }
        }
    }
    let levels: Vec<&Text> = raw.tracks.iter().flat_map(|t| t.levels.iter()).collect();
    if raw.areas.is_empty() {
        errors.push(err("areas", raw.areas_loc, "The framework has no competencies: add at least one area with its competencies."));
    }
    let mut area_seen: HashMap<String, Loc> = HashMap::new();
    let mut comp_seen: HashMap<String, Loc> = HashMap::new();
    let mut areas = Vec::new();
    for a in raw.areas {
        check_text(&a.name, "area", "An area's name", MAX_NAME, &mut errors);
        if let Some(first) = area_seen.insert(a.name.value.to_lowercase(), a.name.loc) {
            errors.push(err("area", a.name.loc, format!("The area \"{}\" is already on line {}.", a.name.value, first.line)));
        }
        let mut competencies = Vec::new();
        for c in a.competencies {
            check_text(&c.name, "competency", "A competency's name", MAX_NAME, &mut errors);
            if !c.name.value.is_empty()
                && let Some(first) = comp_seen.insert(c.name.value.to_lowercase(), c.name.loc)
            {
                errors.push(err(
                    "competency",
                    c.name.loc,
                    format!("The competency \"{}\" is already on line {}; each competency appears once.", c.name.value, first.line),
                ));
            }
            if c.description.value.chars().count() > MAX_TEXT {
                errors.push(err("description", c.description.loc, format!("The description is longer than {MAX_TEXT} characters.")));
            }
            let mut by_level: HashMap<String, &Text> = HashMap::new();
            for (lv, text) in &c.expectations {
                if !levels.iter().any(|l| l.value == lv.value) {
                    errors.push(err("level", lv.loc, format!("\"{}\" is not a level of this framework.", lv.value)));
                } else if by_level.insert(lv.value.clone(), text).is_some() && levels.iter().filter(|l| l.value == lv.value).count() == 1 {
                    errors.push(err("level", lv.loc, format!("The level \"{}\" appears twice for \"{}\".", lv.value, c.name.value)));
                }
            }
            let mut expectations = Vec::new();
            for l in &levels {
                match by_level.get(&l.value) {
                    Some(t) => {
                        check_text(
                            t,
                            "expectation",
                            &format!("The expectation of \"{}\" at \"{}\"", c.name.value, l.value),
                            MAX_TEXT,
                            &mut errors,
                        );
                        expectations.push(t.value.clone());
                    }
                    None => errors.push(err(
                        "expectation",
                        c.expectations_loc,
                        format!("\"{}\" says nothing for the level \"{}\": every level needs an expectation.", c.name.value, l.value),
                    )),
                }
            }
            competencies.push(Competency { name: c.name.value, description: c.description.value, expectations });
        }
        if competencies.is_empty() {
            errors.push(err("competencies", a.name.loc, format!("The area \"{}\" has no competencies.", a.name.value)));
        }
        areas.push(Area { name: a.name.value, competencies });
    }
    let tracks =
        raw.tracks.into_iter().map(|t| Track { name: t.name.value, levels: t.levels.into_iter().map(|l| l.value).collect() }).collect();
    errors.into_result()?;
    Ok(Framework { name, tracks, areas })
}

// ---------------------------------------------------------------------------------------------
// Writing

/// A string quoted so that it reads the same in JSON and in YAML.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn export(f: &Framework, format: Format) -> String {
    match format {
        Format::Yaml => export_yaml(f),
        Format::Json => export_json(f),
        Format::Csv => export_csv(f),
    }
}

fn export_yaml(f: &Framework) -> String {
    let mut o = String::new();
    o.push_str("# A career framework in the rapport format (see frameworks/framework.schema.json).\n");
    o.push_str(&format!("name: {}\ntracks:\n", quote(&f.name)));
    for t in &f.tracks {
        o.push_str(&format!("  - name: {}\n    levels:\n", quote(&t.name)));
        for l in &t.levels {
            o.push_str(&format!("      - {}\n", quote(l)));
        }
    }
    o.push_str("areas:\n");
    let levels = f.levels();
    for a in &f.areas {
        o.push_str(&format!("  - name: {}\n    competencies:\n", quote(&a.name)));
        for c in &a.competencies {
            o.push_str(&format!(
                "      - name: {}\n        description: {}\n        expectations:\n",
                quote(&c.name),
                quote(&c.description)
            ));
            for (l, e) in levels.iter().zip(&c.expectations) {
                o.push_str(&format!("          {}: {}\n", quote(l.name), quote(e)));
            }
        }
    }
    o
}

fn export_json(f: &Framework) -> String {
    let list = |items: Vec<String>, indent: &str| -> String {
        if items.is_empty() {
            return "[]".into();
        }
        format!("[\n{}\n{indent}]", items.join(",\n"))
    };
    let levels = f.levels();
    let tracks: Vec<String> = f
        .tracks
        .iter()
        .map(|t| {
            let ls: Vec<String> = t.levels.iter().map(|l| format!("        {}", quote(l))).collect();
            format!("    {{\n      \"name\": {},\n      \"levels\": {}\n    }}", quote(&t.name), list(ls, "      "))
        })
        .collect();
    let areas: Vec<String> = f
        .areas
        .iter()
        .map(|a| {
            let cs: Vec<String> = a
                .competencies
                .iter()
                .map(|c| {
                    let es: Vec<String> =
                        levels.iter().zip(&c.expectations).map(|(l, e)| format!("            {}: {}", quote(l.name), quote(e))).collect();
                    format!(
                        "        {{\n          \"name\": {},\n          \"description\": {},\n          \"expectations\": {{\n{}\n          }}\n        }}",
                        quote(&c.name),
                        quote(&c.description),
                        es.join(",\n")
                    )
                })
                .collect();
            format!("    {{\n      \"name\": {},\n      \"competencies\": {}\n    }}", quote(&a.name), list(cs, "      "))
        })
        .collect();
    format!("{{\n  \"name\": {},\n  \"tracks\": {},\n  \"areas\": {}\n}}\n", quote(&f.name), list(tracks, "  "), list(areas, "  "))
}

fn export_csv(f: &Framework) -> String {
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
        let _ = w.write_record(row.iter().map(|c| super::csv_cells::escape(c)));
    };
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn small() -> Framework {
        Framework {
            name: "Eng".into(),
            tracks: vec![
                Track { name: "IC".into(), levels: vec!["E1".into(), "E2".into()] },
                Track { name: "Manager".into(), levels: vec!["M1".into()] },
            ],
            areas: vec![Area {
                name: "Craft".into(),
                competencies: vec![Competency {
                    name: "Code".into(),
                    description: "Writing it".into(),
                    expectations: vec!["Clean, tested \"code\"".into(), "Line one\nline two — ünïcødé 🙂".into(), "Coaches".into()],
                }],
            }],
        }
    }

    fn located(e: &Invalid) -> Vec<(u64, u64, String)> {
        e.0.iter().map(|f| (f.line.unwrap_or(0), f.column.unwrap_or(0), f.field.clone())).collect()
    }

    #[test]
    fn every_format_round_trips_a_framework_and_its_file() {
        let f = small();
        for fmt in Format::ALL {
            let file = export(&f, fmt);
            let back = parse(file.as_bytes(), fmt, "Eng").unwrap_or_else(|e| panic!("{fmt:?}: {e}\n{file}"));
            assert_eq!(back, f, "{fmt:?}");
            assert_eq!(export(&back, fmt), file);
        }
    }

    #[test]
    fn the_example_framework_is_valid_and_round_trips() {
        let text = include_str!("../../frameworks/example.yaml");
        let f = parse(text.as_bytes(), Format::Yaml, "").unwrap();
        assert!(f.summary().competencies >= 6);
        assert_eq!(parse(export(&f, Format::Csv).as_bytes(), Format::Csv, &f.name).unwrap(), f);
    }

    #[test]
    fn yaml_problems_have_their_line_and_column() {
        let y = "name: X\ntracks:\n  - name: IC\n    levels: [A, B]\nareas:\n  - name: Craft\n    competencies:\n      - name: Code\n        expectations:\n          A: fine\n      - name: code\n        expectations:\n          A: ok\n          B: \"\"\n          C: what\n";
        let e = parse(y.as_bytes(), Format::Yaml, "").unwrap_err();
        let at = located(&e);
        // Code misses B (reported at its expectations), "code" duplicates Code, B is empty, C is unknown.
        assert!(at.contains(&(10, 11, "expectation".into())), "{at:?}");
        assert!(at.contains(&(11, 15, "competency".into())), "{at:?}");
        assert!(at.contains(&(14, 14, "expectation".into())), "{at:?}");
        assert!(at.contains(&(15, 11, "level".into())), "{at:?}");
        assert_eq!(e.0.len(), 4, "{e}");
    }

    #[test]
    fn yaml_syntax_errors_and_unknown_keys_are_located() {
        let e = parse(b"name: [unclosed\n", Format::Yaml, "").unwrap_err();
        assert!(e.0[0].line.is_some());
        let e = parse(b"name: X\ncolour: red\n", Format::Yaml, "").unwrap_err();
        assert!(located(&e).contains(&(2, 1, "colour".into())), "{e}");
    }

    #[test]
    fn json_problems_have_their_line_and_column() {
        let e = parse(b"{\n  \"name\": \"X\",\n  \"tracks\": [\n}", Format::Json, "").unwrap_err();
        assert_eq!(e.0[0].line, Some(4));
        let j = "{\n\t\"name\": \"X\",\n\t\"tracks\": [{\"name\": \"IC\", \"levels\": []}],\n\t\"areas\": []\n}";
        let e = parse(j.as_bytes(), Format::Json, "").unwrap_err();
        let at = located(&e);
        assert!(at.contains(&(3, 22, "levels".into())), "{at:?}");
        assert!(at.iter().any(|(l, _, f)| *l == 4 && f == "areas"), "{at:?}");
    }

    #[test]
    fn csv_problems_have_their_line_and_column() {
        let csv = "track,,,IC,\narea,competency,description,E1,E2\nCraft,Code,,\"multi\nline\",\nCraft,Tests,,a\nCraft,code,,x,y\n";
        let e = parse(csv.as_bytes(), Format::Csv, "X").unwrap_err();
        let at = located(&e);
        assert!(at.contains(&(4, 5, "expectation".into())), "{at:?}");
        assert!(at.contains(&(5, 5, "row".into())), "{at:?}");
        assert!(at.contains(&(6, 2, "competency".into())), "{at:?}");
        let e = parse(b"area,competency,description\nA,B,C\n", Format::Csv, "X").unwrap_err();
        assert_eq!(located(&e), vec![(1, 4, "header".into())]);
        let e = parse(b"area,competency,L1,L1\nA,B,x,y\n", Format::Csv, "X").unwrap_err();
        assert_eq!(located(&e), vec![(1, 4, "level".into())]);
    }

    #[test]
    fn windows_line_ends_keep_line_numbers_right() {
        let e = parse(b"area,competency,Junior,Mid\r\nCraft,Code,fine\r\n", Format::Csv, "X").unwrap_err();
        assert_eq!(located(&e), vec![(2, 4, "row".into())]);
        let e = parse(b"area,competency,Junior\r\nCraft,Code,\"two\r\nlines\"\r\nCraft,Tests,\r\n", Format::Csv, "X").unwrap_err();
        assert_eq!(located(&e), vec![(4, 3, "expectation".into())]);
    }

    #[test]
    fn a_matrix_without_a_track_row_and_with_merged_areas_reads() {
        let f = parse("area,competency,Junior,Senior\nCraft,Code,a,b\n,Tests,c,d\nPeople,Mentoring,e,f\n".as_bytes(), Format::Csv, "X")
            .unwrap();
        assert_eq!(f.tracks, vec![Track { name: "Default".into(), levels: vec!["Junior".into(), "Senior".into()] }]);
        assert_eq!(f.areas.len(), 2);
        assert_eq!(f.areas[0].competencies.len(), 2);
        assert_eq!(f.expectation("Tests", "Senior"), Some("d"));
        assert_eq!(f.next_level("Junior").map(|l| l.name), Some("Senior"));
        assert_eq!(f.next_level("Senior"), None);
    }

    #[test]
    fn bad_bytes_and_big_files_are_refused_with_a_place() {
        let e = parse(b"area,competency,L1\nCr\xe9ft,A,b\n", Format::Csv, "X").unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (Some(2), Some(3)));
        let mut big = b"area,competency,L1\n".to_vec();
        while big.len() <= MAX_BYTES {
            big.extend_from_slice(b"Craft,Competency,expected\n");
        }
        let e = parse(&big, Format::Csv, "X").unwrap_err();
        assert!(e.0[0].message.contains("limit"));
        assert!(e.0[0].line.unwrap() > 1000);
    }

    fn text(multi_line: bool) -> impl Strategy<Value = String> {
        let re = if multi_line { "[\\PC\n]{1,30}" } else { "\\PC{1,20}" };
        proptest::string::string_regex(re).unwrap().prop_map(|s| {
            let t = clean(&s);
            if t.is_empty() { "x".into() } else { t }
        })
    }

    fn framework() -> impl Strategy<Value = Framework> {
        (text(false), prop::collection::vec((text(false), 1..4usize), 1..3), prop::collection::vec((text(false), 1..4usize), 1..3))
            .prop_flat_map(|(name, tracks, areas)| {
                let tracks: Vec<Track> = tracks
                    .into_iter()
                    .enumerate()
                    .map(|(i, (n, k))| Track { name: format!("{n} {i}"), levels: (0..k).map(|j| format!("{n} L{i}.{j}")).collect() })
                    .collect();
                let nlevels: usize = tracks.iter().map(|t| t.levels.len()).sum();
                let ncomp: usize = areas.iter().map(|(_, k)| k).sum();
                (
                    Just(name),
                    Just(tracks),
                    Just(areas),
                    prop::collection::vec(text(true), ncomp * nlevels),
                    prop::collection::vec(prop_oneof![Just(String::new()), text(true)], ncomp),
                )
            })
            .prop_map(|(name, tracks, areas, cells, descriptions)| {
                let nlevels: usize = tracks.iter().map(|t| t.levels.len()).sum();
                let mut cells = cells.into_iter();
                let mut descriptions = descriptions.into_iter();
                let mut n = 0;
                let areas = areas
                    .into_iter()
                    .enumerate()
                    .map(|(i, (a, k))| Area {
                        name: format!("{a} {i}"),
                        competencies: (0..k)
                            .map(|_| {
                                n += 1;
                                Competency {
                                    name: format!("{a} C{n}"),
                                    description: descriptions.next().unwrap_or_default(),
                                    expectations: (0..nlevels).map(|_| cells.next().unwrap_or_default()).collect(),
                                }
                            })
                            .collect(),
                    })
                    .collect();
                Framework { name, tracks, areas }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn export_then_import_gives_the_same_framework_and_file(f in framework()) {
            for fmt in Format::ALL {
                let file = export(&f, fmt);
                let back = parse(file.as_bytes(), fmt, &f.name);
                prop_assert!(back.is_ok(), "{:?}: {}\n{}", fmt, back.unwrap_err(), file);
                let back = back.unwrap();
                prop_assert_eq!(&back, &f);
                prop_assert_eq!(export(&back, fmt), file);
            }
        }
    }
}
