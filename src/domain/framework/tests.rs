use super::raw::clean;
use super::*;
use crate::domain::validation::Invalid;
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
    let text = include_str!("../../../frameworks/example.yaml");
    let f = parse(text.as_bytes(), Format::Yaml, "").unwrap();
    assert!(f.summary().competencies >= 6);
    assert_eq!(parse(export(&f, Format::Csv).as_bytes(), Format::Csv, &f.name).unwrap(), f);
}

#[test]
fn yaml_problems_have_their_line_and_column() {
    let y = "name: X\ntracks:\n  - name: IC\n    levels: [A, B]\nareas:\n  - name: Craft\n    competencies:\n      - name: Code\n        expectations:\n          A: fine\n      - name: code\n        expectations:\n          A: ok\n          B: \"\"\n          C: what\n";
    let e = parse(y.as_bytes(), Format::Yaml, "").unwrap_err();
    let at = located(&e);
    // Code misses B (reported at its expectations), "code" duplicates Code, C is unknown. (B
    // empty is allowed: not expected at that level.)
    assert!(at.contains(&(10, 11, "expectation".into())), "{at:?}");
    assert!(at.contains(&(11, 15, "competency".into())), "{at:?}");
    assert!(at.contains(&(15, 11, "level".into())), "{at:?}");
    assert_eq!(e.0.len(), 3, "{e}");
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
    // The empty E2 cell after a multi-line one is "not expected at E2", not a mistake.
    assert!(!at.iter().any(|(_, _, f)| f == "expectation"), "{at:?}");
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
    let f =
        parse("area,competency,Junior,Senior\nCraft,Code,a,b\n,Tests,c,d\nPeople,Mentoring,e,f\n".as_bytes(), Format::Csv, "X").unwrap();
    assert_eq!(f.tracks, vec![Track { name: "Default".into(), levels: vec!["Junior".into(), "Senior".into()] }]);
    assert_eq!(f.areas.len(), 2);
    assert_eq!(f.areas[0].competencies.len(), 2);
    assert_eq!(f.expectation("Tests", "Senior"), Some("d"));
    assert_eq!(f.next_level("Junior").map(|l| l.name), Some("Senior"));
    assert_eq!(f.next_level("Senior"), None);
}

#[test]
fn an_empty_cell_means_not_expected_at_that_level_and_round_trips() {
    let csv = "area,competency,L1,L2,L3\nPeople,Leadership,,,Leads a team\nCraft,Code,a,b,c\n";
    let f = parse(csv.as_bytes(), Format::Csv, "X").unwrap();
    assert_eq!(f.expectation("Leadership", "L1"), Some(""));
    assert_eq!(f.expectation("Leadership", "L3"), Some("Leads a team"));
    for fmt in Format::ALL {
        let file = export(&f, fmt);
        assert_eq!(parse(file.as_bytes(), fmt, "X").unwrap_or_else(|e| panic!("{fmt:?}: {e}\n{file}")), f, "{fmt:?}");
    }
    // A competency expected nowhere says nothing at all: that is still a mistake.
    let e = parse("area,competency,L1,L2\nPeople,Leadership,,\n".as_bytes(), Format::Csv, "X").unwrap_err();
    assert_eq!(located(&e), vec![(2, 3, "expectation".into())]);
}

#[test]
fn spreadsheet_variants_read_as_the_plain_file_does() {
    let plain = "area,competency,Junior,Senior\nCraft,Code,a,b\nCraft,Tests,c,d\nPeople,Mentoring,e,f\n";
    let want = parse(plain.as_bytes(), Format::Csv, "X").unwrap();
    // Semicolons (Excel in much of Europe), tabs, and a semicolon file whose cells hold commas.
    for variant in [plain.replace(',', ";"), plain.replace(',', "\t")] {
        assert_eq!(parse(variant.as_bytes(), Format::Csv, "X").unwrap(), want, "{variant}");
    }
    let commas = "area;competency;Junior;Senior\nCraft;Code;\"a, with a comma\";b\n";
    assert_eq!(parse(commas.as_bytes(), Format::Csv, "X").unwrap().expectation("Code", "Junior"), Some("a, with a comma"));
    // Empty columns a spreadsheet leaves at the end of every line, and a byte-order mark.
    let trailing = "\u{feff}area,competency,Junior,Senior,,\nCraft,Code,a,b,,\nCraft,Tests,c,d,,\nPeople,Mentoring,e,f,,\n";
    assert_eq!(parse(trailing.as_bytes(), Format::Csv, "X").unwrap(), want);
    // An area's rows need not be next to each other: they gather under the area, in file order.
    let apart = "area,competency,Junior,Senior\nCraft,Code,a,b\nPeople,Mentoring,e,f\nCraft,Tests,c,d\n";
    assert_eq!(parse(apart.as_bytes(), Format::Csv, "X").unwrap(), want);
    // A cell past the header's columns that holds something is still a problem, where it is.
    let e = parse("area,competency,Junior\nCraft,Code,a,,oops\n".as_bytes(), Format::Csv, "X").unwrap_err();
    assert_eq!(located(&e), vec![(2, 4, "row".into())]);
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

fn with_levels(ic: &[&str]) -> Framework {
    let mut f = small();
    f.tracks[0].levels = ic.iter().map(|s| s.to_string()).collect();
    let n = f.levels().len();
    f.areas[0].competencies[0].expectations = vec!["x".into(); n];
    f
}

#[test]
fn a_new_version_names_the_levels_it_no_longer_has_and_a_safe_rename() {
    let old = small();
    assert!(vanished_levels(&old, &old).is_empty());
    // E2 at the same place in the same track, and one new name there: it looks renamed.
    let renamed = with_levels(&["E1", "Engineer II"]);
    assert_eq!(vanished_levels(&old, &renamed), vec![VanishedLevel { level: "E2".into(), renamed_to: Some("Engineer II".into()) }]);
    // Dropped: nothing at its place any more.
    let dropped = with_levels(&["E1"]);
    assert_eq!(vanished_levels(&old, &dropped), vec![VanishedLevel { level: "E2".into(), renamed_to: None }]);
    // The name at its place was already a level: a move, not a rename.
    let moved = with_levels(&["E1", "M1"]);
    assert_eq!(vanished_levels(&old, &moved)[0].renamed_to, None);
    // A level that moved place but kept its name has not vanished.
    let reordered = with_levels(&["E2", "E1"]);
    assert!(vanished_levels(&old, &reordered).is_empty());
}

#[test]
fn a_vanished_level_says_who_is_on_it_and_counts_the_people_the_reader_does_not_manage() {
    let gone = VanishedLevel { level: "Level 2".into(), renamed_to: None };
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(gone.message(&[], 0), "Level 2 is not in the new version: nobody is placed on it.");
    assert_eq!(
        gone.message(&names(&["Ana Lima"]), 0),
        "Level 2 is not in the new version: 1 person is placed on it (Ana Lima); their level will need choosing."
    );
    assert_eq!(
        gone.message(&names(&["Ana Lima", "Tom Two"]), 4),
        "Level 2 is not in the new version: 6 people are placed on it (Ana Lima, Tom Two and 4 others you don't manage); their level will need choosing."
    );
    let renamed = VanishedLevel { level: "Level 2".into(), renamed_to: Some("Practitioner".into()) };
    assert_eq!(
        renamed.message(&[], 1),
        "Level 2 is not in the new version (it looks renamed to Practitioner): 1 person is placed on it (1 you don't manage); their level will need choosing."
    );
}

#[test]
fn yaml_writes_multi_line_text_as_block_scalars() {
    let mut f = small();
    f.areas[0].competencies[0].description = "First line\n\n  indented third".into();
    let y = export(&f, Format::Yaml);
    assert!(y.contains("\"E2\": |-\n            Line one\n            line two — ünïcødé 🙂\n"), "{y}");
    assert!(y.contains("description: |-\n          First line\n\n            indented third\n"), "{y}");
    assert!(!y.contains("\\n"), "no escaped line ends: {y}");
    assert_eq!(parse(y.as_bytes(), Format::Yaml, "").unwrap(), f);
}

#[test]
fn a_csv_export_names_its_framework_and_reads_back_without_being_given_a_name() {
    let f = small();
    let csv = export(&f, Format::Csv);
    assert!(csv.starts_with("name,Eng,,,,\r\ntrack,"), "{csv}");
    assert_eq!(parse(csv.as_bytes(), Format::Csv, "").unwrap(), f);
    assert_eq!(parse(csv.as_bytes(), Format::Csv, "From the file name").unwrap().name, "Eng", "the file's own name wins");
    // As a spreadsheet in much of Europe saves it.
    let semi = "name;Ladder;;\r\narea;competency;E1;E2\r\nA;B;c;d\r\n";
    assert_eq!(parse(semi.as_bytes(), Format::Csv, "").unwrap().name, "Ladder");
    // A file without it still reads, given a name; given none, the problem is located.
    assert_eq!(parse(b"area,competency,E1\nA,B,c\n", Format::Csv, "Given").unwrap().name, "Given");
    let e = parse(b"area,competency,E1\nA,B,c\n", Format::Csv, " ").unwrap_err();
    assert_eq!(located(&e), [(1, 1, "name".to_string())], "{e}");
    let e = parse(b"name,\narea,competency,E1\nA,B,c\n", Format::Csv, "Given").unwrap_err();
    assert_eq!(located(&e), [(1, 2, "name".to_string())], "{e}");
}

#[test]
fn an_unknown_key_does_not_hide_the_files_other_problems() {
    let y = "name: X\ncolour: red\ntracks:\n  - name: IC\n    levels: [A, B]\nareas:\n  - name: Craft\n    competencies:\n      - name: Code\n        expectations:\n          A: fine\n          B: fine\n      - name: code\n        expectations:\n          A: ok\n          B: ok\n";
    let e = parse(y.as_bytes(), Format::Yaml, "").unwrap_err();
    let at = located(&e);
    assert!(at.contains(&(2, 1, "colour".into())), "{at:?}");
    assert!(at.contains(&(13, 15, "competency".into())), "the twice-named competency too: {at:?}");
    assert_eq!(e.0.len(), 2, "{e}");
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opened() {
    let y = "name: X\ntracks:\n  - name: IC\n    levels: [A, B\nareas:\n  - name: Craft\n";
    let e = parse(y.as_bytes(), Format::Yaml, "").unwrap_err();
    assert_eq!(located(&e), [(4, 13, "file".to_string())], "{e}");
    assert_eq!(e.0[0].message, "This list is not closed: add ] after its last item.");
    let y = "name: X\ntracks:\n  - {name: IC, levels: [A]\nareas: []\n";
    let e = parse(y.as_bytes(), Format::Yaml, "").unwrap_err();
    assert_eq!(located(&e), [(3, 5, "file".to_string())], "{e}");
}

#[test]
fn invalid_json_is_described_in_our_words_with_its_place() {
    let e = parse(b"{\n  \"name\": \"X\",\n}", Format::Json, "").unwrap_err();
    assert_eq!(located(&e), [(3, 1, "file".to_string())], "{e}");
    assert_eq!(e.0[0].message, "This is not valid JSON at line 3, column 1: a comma is followed by nothing; remove it.");
    let e = parse(b"{\n  \"name\": \"X\"\n  \"tracks\": []\n}", Format::Json, "").unwrap_err();
    assert_eq!(e.0[0].message, "This is not valid JSON at line 3, column 3: a comma or } is missing before this.");
    let e = parse(b"{\n  name: \"X\"\n}", Format::Json, "").unwrap_err();
    assert_eq!(e.0[0].message, "This is not valid JSON at line 2, column 3: a key must be text in double quotes.");
}
