//! Reading a framework: the YAML (and JSON) tree, the rules every framework keeps.

use super::matrix::from_csv;
use super::raw::{Loc, Raw, RawArea, RawCompetency, RawTrack, Text, clean};
use super::{Area, Competency, Format, Framework, MAX_BYTES, MAX_NAME, MAX_TEXT, Track};
use crate::domain::validation::{FieldError, Invalid};
use std::collections::HashMap;

/// Reads and checks a whole file. `csv_name` names the framework for a CSV matrix without a
/// first line `name,…` of its own.
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
    let text = crate::domain::people_csv::decode(bytes)?;
    let (raw, errors) = match format {
        Format::Yaml => from_tree(&yaml_tree(text)?),
        Format::Json => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                let (line, col) = (e.line() as u64, e.column().max(1) as u64);
                let what = super::raw::json_problem(&e);
                return Err(Invalid(vec![
                    FieldError::new("file", format!("This is not valid JSON at line {line}, column {col}: {what}")).at(line, col),
                ]));
            }
            // JSON is YAML; tabs are only whitespace outside JSON strings, where YAML dislikes them.
            from_tree(&yaml_tree(&text.replace('\t', " "))?)
        }
        // Rows of the wrong width are reported along with everything else.
        Format::Csv => from_csv(text, csv_name)?,
    };
    if errors.is_empty() {
        return validate(raw);
    }
    // What the file's shape got wrong (an unknown key, a row of the wrong width) does not hide
    // what the rules find in the rest: both at once, one problem per place.
    let mut errors = errors;
    if let Err(more) = validate(raw) {
        let seen: Vec<(String, Option<u64>, Option<u64>)> = errors.0.iter().map(|e| (e.field.clone(), e.line, e.column)).collect();
        let again = |e: &FieldError| seen.iter().any(|(f, l, c)| (*l, *c) == (e.line, e.column) || (*f == e.field && *l == e.line));
        // Not "no competencies" of a matrix whose rows were there but unreadable.
        let unreadable_rows = |e: &FieldError| format == Format::Csv && e.field == "areas";
        errors.0.extend(more.0.into_iter().filter(|e| !again(e) && !unreadable_rows(e)));
    }
    errors.0.sort_by_key(|e| (e.line, e.column));
    Err(errors)
}

/// Line and column (characters) of byte `index`.
pub(super) fn position_of(bytes: &[u8], index: usize) -> (u64, u64) {
    let before = &bytes[..index.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let start = before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() as u64 + 1;
    (line, col)
}

// The YAML (and JSON) tree, each node with its place.

#[derive(Debug)]
pub(super) struct Node {
    pub(super) loc: Loc,
    pub(super) kind: Kind,
}

#[derive(Debug)]
pub(super) enum Kind {
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Alias,
}

#[derive(Default)]
pub(super) struct TreeBuilder {
    pub(super) stack: Vec<(Node, Option<Node>)>,
    pub(super) root: Option<Node>,
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

pub(super) fn yaml_tree(text: &str) -> Result<Node, Invalid> {
    let mut b = TreeBuilder::default();
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, false) {
        let m = e.marker();
        // A `[` or `{` left open makes the parser stumble lines later, where nothing is wrong:
        // point at the bracket that is not closed.
        let opened = unclosed_bracket(text, m.line()).map(|(loc, open)| match open {
            '[' => (loc, "This list is not closed: add ] after its last item."),
            _ => (loc, "These keys and values are not closed: add } after the last one."),
        });
        let error = match opened {
            Some((loc, message)) => err("file", loc, message),
            _ => FieldError::new("file", format!("This cannot be read: {}.", e.info())).at(m.line() as u64, m.col() as u64 + 1),
        };
        return Err(Invalid(vec![error]));
    }
    b.root.ok_or_else(|| Invalid(vec![FieldError::new("file", "The file is empty.").at(1, 1)]))
}

/// The innermost `[` or `{` opened on a line before `line` and not closed by then, where a
/// value starts (so not one inside plain text); quoted text and comments are skipped.
fn unclosed_bracket(text: &str, line: usize) -> Option<(Loc, char)> {
    let mut open: Vec<(Loc, char)> = Vec::new();
    for (i, l) in text.lines().take(line.saturating_sub(1)).enumerate() {
        let (mut quote, mut prev) = (None::<char>, ' ');
        for (j, c) in l.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if starts_value(l, j) => quote = Some(c),
                (None, '#') if prev == ' ' => break,
                (None, '[' | '{') if starts_value(l, j) => open.push((Loc { line: i as u64 + 1, col: j as u64 + 1 }, c)),
                (None, ']' | '}') if !open.is_empty() => {
                    open.pop();
                }
                _ => {}
            }
            prev = c;
        }
    }
    open.pop()
}

/// Whether the text before column `j` of a line ends where a value may start: at the line's
/// start (after spaces), or after `: `, `- `, `,`, `[` or `{` and spaces.
fn starts_value(line: &str, j: usize) -> bool {
    let before: String = line.chars().take(j).collect();
    let t = before.trim_end();
    t.is_empty() || t.ends_with([':', '-', ',', '[', '{'])
}

pub(super) fn err(field: &str, loc: Loc, msg: impl Into<String>) -> FieldError {
    FieldError::new(field, msg).at(loc.line, loc.col)
}

/// The entries of a mapping, refusing keys not in `allowed` and keys given twice.
pub(super) fn map_entries<'a>(node: &'a Node, what: &str, allowed: &[&str], errors: &mut Invalid) -> HashMap<String, &'a Node> {
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

pub(super) fn scalar(node: &Node, field: &str, errors: &mut Invalid) -> Text {
    match &node.kind {
        Kind::Scalar(s) => Text { value: clean(s), loc: node.loc },
        _ => {
            errors.push(err(field, node.loc, format!("The {field} must be text.")));
            Text { value: String::new(), loc: node.loc }
        }
    }
}

/// The sequence under `key` among a map's `entries` (none when it is missing), with `loc` moved to it.
fn list<'a>(entries: &HashMap<String, &'a Node>, key: &str, loc: &mut Loc, errors: &mut Invalid) -> &'a [Node] {
    let Some(node) = entries.get(key) else { return &[] };
    *loc = node.loc;
    seq(node, key, errors)
}

/// The "name" among a map's `entries`, or an empty one at the map (checked as missing later).
fn name_of(entries: &HashMap<String, &Node>, map: &Node, errors: &mut Invalid) -> Text {
    entries.get("name").map_or_else(|| Text { value: String::new(), loc: map.loc }, |n| scalar(n, "name", errors))
}

pub(super) fn seq<'a>(node: &'a Node, field: &str, errors: &mut Invalid) -> &'a [Node] {
    match &node.kind {
        Kind::Seq(items) => items,
        _ => {
            errors.push(err(field, node.loc, format!("The {field} must be a list.")));
            &[]
        }
    }
}

/// What a file's tree says, and what in its shape is wrong (unknown keys, a list where text
/// goes…): the rules are checked on what could be read all the same.
pub(super) fn from_tree(root: &Node) -> (Raw, Invalid) {
    let mut errors = Invalid::default();
    let mut raw = Raw::default();
    let top = map_entries(root, "the framework", &["name", "tracks", "areas"], &mut errors);
    raw.name = top.get("name").map(|n| scalar(n, "name", &mut errors));
    raw.tracks_loc = root.loc;
    raw.areas_loc = root.loc;
    for t in list(&top, "tracks", &mut raw.tracks_loc, &mut errors) {
        let m = map_entries(t, "a track", &["name", "levels"], &mut errors);
        let mut track = RawTrack { name: name_of(&m, t, &mut errors), levels: Vec::new() };
        match m.get("levels") {
            Some(ls) => track.levels = seq(ls, "levels", &mut errors).iter().map(|l| scalar(l, "level", &mut errors)).collect(),
            None => errors.push(err("levels", t.loc, "This track has no levels: add \"levels\", lowest first.")),
        }
        raw.tracks.push(track);
    }
    for a in list(&top, "areas", &mut raw.areas_loc, &mut errors) {
        let m = map_entries(a, "an area", &["name", "competencies"], &mut errors);
        let mut area = RawArea { name: name_of(&m, a, &mut errors), competencies: Vec::new() };
        match m.get("competencies") {
            Some(cs) => {
                for c in seq(cs, "competencies", &mut errors) {
                    let cm = map_entries(c, "a competency", &["name", "description", "expectations"], &mut errors);
                    let mut comp = RawCompetency {
                        name: name_of(&cm, c, &mut errors),
                        description: Text::default(),
                        expectations: Vec::new(),
                        expectations_loc: c.loc,
                    };
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
                            _ => errors.push(err("expectations", e.loc, "The expectations must map each level's name to what it expects.")),
                        }
                    }
                    area.competencies.push(comp);
                }
            }
            None => errors.push(err("competencies", a.loc, "This area has no competencies.")),
        }
        raw.areas.push(area);
    }
    (raw, errors)
}

pub(super) fn check_text(t: &Text, field: &str, what: &str, max: usize, errors: &mut Invalid) {
    if t.value.is_empty() {
        errors.push(err(field, t.loc, format!("{what} is empty.")));
    } else if t.value.chars().count() > max {
        errors.push(err(field, t.loc, format!("{what} is longer than {max} characters.")));
    } else if field != "expectation" && field != "description" && t.value.contains('\n') {
        errors.push(err(field, t.loc, format!("{what} must fit on one line.")));
    }
}

/// The rules every framework follows, whatever shape it came in.
pub(super) fn validate(raw: Raw) -> Result<Framework, Invalid> {
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
                    // An empty cell: not expected at this level (people leadership before a
                    // senior level, say).
                    Some(t) if t.value.is_empty() => expectations.push(String::new()),
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
            if expectations.len() == levels.len() && expectations.iter().all(|e| e.is_empty()) {
                let at = c.expectations.first().map_or(c.expectations_loc, |(_, t)| t.loc);
                errors.push(err(
                    "expectation",
                    at,
                    format!("\"{}\" is expected at no level: write what at least one level expects.", c.name.value),
                ));
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
