//! Writing a framework back out, so that `parse(export(f)) == f`.

use super::matrix::export_csv;
use super::{Format, Framework};

/// A string quoted so that it reads the same in JSON and in YAML.
pub(super) fn quote(s: &str) -> String {
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

/// A value in YAML at `indent` spaces: text of several lines as a literal block (`|-`), which
/// reads back exactly and reads as it will show; anything else quoted.
fn yaml_text(s: &str, indent: usize) -> String {
    let plain_lines = s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.ends_with(['\n', ' '])
        && !s.chars().any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}'));
    if !plain_lines {
        return quote(s);
    }
    let pad = " ".repeat(indent);
    let lines: Vec<String> = s.split('\n').map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") }).collect();
    format!("|-\n{}", lines.join("\n"))
}

pub fn export(f: &Framework, format: Format) -> String {
    match format {
        Format::Yaml => export_yaml(f),
        Format::Json => export_json(f),
        Format::Csv => export_csv(f),
    }
}

pub(super) fn export_yaml(f: &Framework) -> String {
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
                yaml_text(&c.description, 10)
            ));
            for (l, e) in levels.iter().zip(&c.expectations) {
                o.push_str(&format!("          {}: {}\n", quote(l.name), yaml_text(e, 12)));
            }
        }
    }
    o
}

pub(super) fn export_json(f: &Framework) -> String {
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
