//! The leader's view: the health of the 1:1 practice across the teams of an organisation, per
//! manager's team and overall, never the content of a 1:1 and never one person's answer.
//!
//! Each figure of each team is drawn from some people (those with a 1:1 due, who rated, who
//! answered the pulse...). A figure drawn from fewer than [`MIN_PEOPLE`] is not shown: it is
//! counted in "Other teams" instead. Because the overall figure is shown too, "Other teams"
//! must itself hold at least [`MIN_PEOPLE`] (or nobody): otherwise the overall minus the teams
//! shown would give the hidden ones away. So while it holds fewer, the smallest team still shown
//! joins it; and when everything together is still too few, nothing of that figure is shown.
//! This is done figure by figure, since each is drawn from different people.

use super::PersonId;
use serde::Serialize;
use std::collections::BTreeSet;
use uuid::Uuid;

/// No figure is shown that is drawn from fewer people than this.
pub const MIN_PEOPLE: usize = 5;

/// The figures of the view, in the order of its columns.
pub const FIGURES: [Figure; 10] = [
    Figure::Cadence,
    Figure::Rating,
    Figure::RatingBefore,
    Figure::Actions,
    Figure::Pulse,
    Figure::PulseBefore,
    Figure::Topics,
    Figure::Purposes,
    Figure::Kickoffs,
    Figure::Programs,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// 1:1s held (or over and not marked otherwise) of those due: a share.
    Cadence,
    /// The average "worth your time?" rating in the window, and in the window before.
    Rating,
    RatingBefore,
    /// Actions done by their date, of those due: a share.
    Actions,
    /// The average pulse answer (every question, 1 to 5), in the window and the one before.
    Pulse,
    PulseBefore,
    /// Topics raised by the teammates, of all topics: a share.
    Topics,
    /// The share of the ten purposes of a 1:1 each pair touched in the window, on average.
    Purposes,
    /// Pairs whose kickoff note was sent (or given in person), and pairs running or done with
    /// the first ten 1:1s, of the pairs with a 1:1 due: shares.
    Kickoffs,
    Programs,
}

impl Figure {
    pub fn label(self) -> &'static str {
        match self {
            Figure::Cadence => "1:1s held as planned",
            Figure::Rating => "Worth the time (of 5)",
            Figure::RatingBefore => "Worth the time, window before",
            Figure::Actions => "Actions done on time",
            Figure::Pulse => "Pulse (of 5)",
            Figure::PulseBefore => "Pulse, window before",
            Figure::Topics => "Topics raised by teammates",
            Figure::Purposes => "Purposes covered, per pair",
            Figure::Kickoffs => "Kickoffs done",
            Figure::Programs => "First ten 1:1s started",
        }
    }
    pub fn is_share(self) -> bool {
        matches!(self, Figure::Cadence | Figure::Actions | Figure::Topics | Figure::Purposes | Figure::Kickoffs | Figure::Programs)
    }
    fn index(self) -> usize {
        FIGURES.iter().position(|f| *f == self).expect("every figure is listed")
    }
}

/// What one figure is drawn from: the people, and a part of a whole (a share) or a sum over a
/// count (an average).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measure {
    pub people: BTreeSet<Uuid>,
    pub part: f64,
    pub whole: f64,
}

impl Measure {
    /// One person's contribution.
    pub fn of(person: Uuid, part: f64, whole: f64) -> Measure {
        Measure { people: BTreeSet::from([person]), part, whole }
    }
    fn add(&mut self, other: &Measure) {
        self.people.extend(other.people.iter().copied());
        self.part += other.part;
        self.whole += other.whole;
    }
    fn value(&self) -> Option<f64> {
        (self.whole > 0.0 && self.people.len() >= MIN_PEOPLE).then(|| self.part / self.whole)
    }
}

/// The facts of one manager's team: each figure's measure.
#[derive(Debug, Clone)]
pub struct TeamFacts {
    pub manager: PersonId,
    pub name: String,
    /// Everyone in the team's 1:1s (its size).
    pub people: BTreeSet<Uuid>,
    pub measures: [Measure; 10],
}

impl TeamFacts {
    pub fn new(manager: PersonId, name: String) -> TeamFacts {
        TeamFacts { manager, name, people: BTreeSet::new(), measures: Default::default() }
    }
    pub fn add(&mut self, figure: Figure, m: &Measure) {
        self.measures[figure.index()].add(m);
    }
    /// Someone in the team's 1:1s (a teammate: the manager is not counted in its size).
    pub fn member(&mut self, person: Uuid) {
        self.people.insert(person);
    }
}

/// A row of the view: a team, "other teams" or everyone. A figure is `None` where it is not
/// shown (drawn from too few people, or counted in "other teams").
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Row {
    /// The manager whose team it is; none for "other teams" and everyone.
    #[schema(value_type = Option<Uuid>)]
    pub manager: Option<PersonId>,
    pub label: String,
    /// How many people are in the row's 1:1s, when at least five (else none).
    pub people: Option<usize>,
    /// One value a figure, in the order of [`FIGURES`].
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeaderView {
    pub weeks: u32,
    /// When the figures were worked out (they may be up to ten minutes old).
    pub as_of: chrono::DateTime<chrono::Utc>,
    pub figures: Vec<Figure>,
    pub teams: Vec<Row>,
    /// What is not shown team by team, together (when anything is).
    pub others: Option<Row>,
    pub overall: Row,
    /// Teams none of whose figures are shown, by name: the page says why.
    pub hidden_teams: Vec<String>,
}

fn shown_size(n: usize) -> Option<usize> {
    (n >= MIN_PEOPLE).then_some(n)
}

/// The view of `teams` (already only those of the reader's organisation) over `weeks`, as of
/// `as_of`.
pub fn leader_view(mut teams: Vec<TeamFacts>, weeks: u32, as_of: chrono::DateTime<chrono::Utc>) -> LeaderView {
    teams.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.manager.cmp(&b.manager)));
    let n = FIGURES.len();
    let mut rows: Vec<Row> = teams
        .iter()
        .map(|t| Row { manager: Some(t.manager), label: t.name.clone(), people: shown_size(t.people.len()), values: vec![None; n] })
        .collect();
    let mut others = Measures::default();
    let mut overall = Measures::default();
    let mut any_other = false;
    // Who is counted in "other teams" (those whose 1:1s held went there: the first figure).
    let mut others_people: BTreeSet<Uuid> = BTreeSet::new();
    for (i, _) in FIGURES.iter().enumerate() {
        // A figure of a team stands for no more people than the team has: a team of four stays
        // hidden even where its manager's own actions make five owners.
        let size = |k: usize| teams[k].measures[i].people.len().min(teams[k].people.len());
        let mut hidden: Vec<usize> = (0..teams.len()).filter(|&k| size(k) < MIN_PEOPLE).collect();
        let mut shown: Vec<usize> = (0..teams.len()).filter(|k| !hidden.contains(k)).collect();
        let pooled = |ks: &[usize]| {
            let mut m = Measure::default();
            for &k in ks {
                m.add(&teams[k].measures[i]);
            }
            m
        };
        // "Other teams" holds nobody or enough people; the smallest shown team joins it until then.
        let pooled_size = |ks: &[usize]| ks.iter().map(|&k| size(k)).sum::<usize>();
        while !shown.is_empty() && (1..MIN_PEOPLE).contains(&pooled_size(&hidden)) {
            let smallest = *shown.iter().min_by_key(|&&k| (size(k), k)).expect("not empty");
            shown.retain(|&k| k != smallest);
            hidden.push(smallest);
        }
        for &k in &shown {
            rows[k].values[i] = teams[k].measures[i].value();
        }
        if i == 0 {
            others_people = hidden.iter().flat_map(|&k| teams[k].people.iter().copied()).collect();
        }
        let rest = pooled(&hidden);
        any_other |= !rest.people.is_empty() && teams.iter().enumerate().any(|(k, t)| hidden.contains(&k) && t.measures[i].whole > 0.0);
        others.0[i] = rest;
        overall.0[i] = pooled(&(0..teams.len()).collect::<Vec<_>>());
    }
    let everyone: BTreeSet<Uuid> = teams.iter().flat_map(|t| t.people.iter().copied()).collect();
    let hidden_teams = teams.iter().zip(&rows).filter(|(_, r)| r.values.iter().all(Option::is_none)).map(|(t, _)| t.name.clone()).collect();
    let others = any_other.then(|| Row {
        manager: None,
        label: "Other teams".into(),
        people: shown_size(others_people.len()),
        values: others.0.iter().map(Measure::value).collect(),
    });
    let overall = Row {
        manager: None,
        label: "Everyone".into(),
        people: shown_size(everyone.len()),
        values: overall.0.iter().map(Measure::value).collect(),
    };
    LeaderView { weeks, as_of, figures: FIGURES.to_vec(), teams: rows, others, overall, hidden_teams }
}

#[derive(Default)]
struct Measures([Measure; 10]);

/// The view as CSV, one row a team, then "other teams" and everyone; a figure not shown is an
/// empty cell. Every cell is made safe for spreadsheets.
pub fn csv(v: &LeaderView) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut header = vec!["team".to_string(), "weeks".to_string(), "people".to_string()];
    header.extend(v.figures.iter().map(|f| f.label().to_string()));
    let _ = w.write_record(&header);
    for r in v.teams.iter().chain(v.others.iter()).chain([&v.overall]) {
        let mut record = vec![super::csv_cells::escape(&r.label), v.weeks.to_string(), r.people.map(|n| n.to_string()).unwrap_or_default()];
        record.extend(r.values.iter().zip(&v.figures).map(|(value, f)| match value {
            Some(x) if f.is_share() => format!("{:.3}", x),
            Some(x) => format!("{x:.2}"),
            None => String::new(),
        }));
        let _ = w.write_record(&record);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A team of `size` people whose every figure is drawn from all of them: each person's
    /// rating is `rating`, each held every 1:1 due (4 of 4).
    fn team(name: &str, first: u128, size: u128, rating: f64) -> TeamFacts {
        let mut t = TeamFacts::new(PersonId(Uuid::from_u128(1000 + first)), name.into());
        for p in first..first + size {
            let id = Uuid::from_u128(p);
            t.member(id);
            t.add(Figure::Cadence, &Measure::of(id, 4.0, 4.0));
            t.add(Figure::Rating, &Measure::of(id, rating, 1.0));
        }
        t
    }

    fn value(r: &Row, f: Figure) -> Option<f64> {
        r.values[f.index()]
    }

    #[test]
    fn a_team_of_four_is_never_shown_and_others_never_hold_fewer_than_five() {
        let v = leader_view(vec![team("Ann", 0, 6, 4.0), team("Bo", 10, 4, 2.0), team("Cy", 20, 7, 5.0)], 12, chrono::Utc::now());
        let names: Vec<&str> = v.teams.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(names, ["Ann", "Bo", "Cy"]);
        // Bo's team of four is hidden; alone in "other teams" it would be the overall minus the
        // two shown, so the smallest shown (Ann, 6) joins it.
        assert_eq!(value(&v.teams[1], Figure::Rating), None);
        assert_eq!(v.teams[1].people, None, "the size of a team under five is not shown either");
        assert_eq!(value(&v.teams[0], Figure::Rating), None);
        assert_eq!(value(&v.teams[2], Figure::Rating), Some(5.0));
        let others = v.others.as_ref().expect("other teams");
        assert_eq!(value(others, Figure::Rating), Some((6.0 * 4.0 + 4.0 * 2.0) / 10.0));
        assert_eq!(value(&v.overall, Figure::Rating), Some((24.0 + 8.0 + 35.0) / 17.0));
        assert_eq!(v.hidden_teams, ["Ann", "Bo"]);
        // Whatever is shown, the overall minus the teams shown is "other teams": ten people.
        assert_eq!(others.people, Some(10));
    }

    #[test]
    fn a_team_of_five_with_one_answer_missing_hides_that_figure_only() {
        let mut five = team("Dee", 0, 5, 4.0);
        // One of the five never rated: the rating is drawn from four.
        five.measures[Figure::Rating.index()] = Measure::default();
        for p in 0..4 {
            five.add(Figure::Rating, &Measure::of(Uuid::from_u128(p), 3.0, 1.0));
        }
        let big = team("Eve", 10, 8, 5.0);
        let v = leader_view(vec![five, big], 4, chrono::Utc::now());
        assert_eq!(value(&v.teams[0], Figure::Cadence), Some(1.0), "held: drawn from five");
        assert_eq!(value(&v.teams[0], Figure::Rating), None, "rated: drawn from four");
        // Four raters cannot stand alone in "other teams": Eve's rating joins them.
        assert_eq!(value(&v.teams[1], Figure::Rating), None);
        assert_eq!(value(v.others.as_ref().unwrap(), Figure::Rating), Some((12.0 + 40.0) / 12.0));
        assert_eq!(value(&v.teams[1], Figure::Cadence), Some(1.0));
    }

    #[test]
    fn a_team_of_four_stays_hidden_even_where_a_figure_counts_its_manager_too() {
        // Four teammates and their manager own actions: five owners, but a team of four.
        let mut four = team("Ida", 0, 4, 3.0);
        for p in [0, 1, 2, 3, 99] {
            four.add(Figure::Actions, &Measure::of(Uuid::from_u128(p), 1.0, 1.0));
        }
        let mut big = team("Jo", 10, 6, 4.0);
        for p in 10..16 {
            big.add(Figure::Actions, &Measure::of(Uuid::from_u128(p), 0.0, 1.0));
        }
        let v = leader_view(vec![four, big], 12, chrono::Utc::now());
        assert!(v.teams[0].values.iter().all(Option::is_none), "{:?}", v.teams[0]);
        assert_eq!(v.hidden_teams, ["Ida", "Jo"]);
        assert_eq!(v.others.as_ref().unwrap().people, Some(10));
    }

    #[test]
    fn fewer_than_five_in_all_shows_nothing() {
        let v = leader_view(vec![team("Fay", 0, 2, 1.0), team("Gus", 10, 2, 5.0)], 12, chrono::Utc::now());
        assert!(v.teams.iter().chain([&v.overall]).all(|r| r.values.iter().all(Option::is_none)));
        assert_eq!(v.overall.people, None);
        assert!(v.others.as_ref().is_none_or(|o| o.values.iter().all(Option::is_none)));
    }

    #[test]
    fn no_hidden_value_can_be_worked_out_from_the_rows_shown() {
        // For many mixes of team sizes: wherever a team's figure is hidden, the rows shown
        // never pin it down: the overall less the teams shown is "other teams", which holds
        // nobody or five people at least.
        for sizes in [[1, 5, 9], [4, 4, 4], [5, 5, 4], [3, 6, 2], [4, 12, 30], [5, 1, 5]] {
            let teams: Vec<TeamFacts> =
                sizes.iter().enumerate().map(|(i, &s)| team(&format!("T{i}"), 100 * i as u128, s, 1.0 + i as f64)).collect();
            let v = leader_view(teams.clone(), 12, chrono::Utc::now());
            let i = Figure::Rating.index();
            let shown: usize =
                teams.iter().zip(&v.teams).filter(|(_, r)| r.values[i].is_some()).map(|(t, _)| t.measures[i].people.len()).sum();
            let total: usize = teams.iter().map(|t| t.measures[i].people.len()).sum();
            let rest = total - shown;
            assert!(rest == 0 || rest >= MIN_PEOPLE, "{sizes:?}: {rest} people left to work out");
            if total < MIN_PEOPLE {
                assert_eq!(v.overall.values[i], None);
            }
        }
    }

    #[test]
    fn the_csv_leaves_hidden_figures_empty_and_makes_names_safe() {
        let v = leader_view(vec![team("=cmd()", 0, 5, 4.0), team("Bo", 10, 4, 2.0), team("Cy", 20, 5, 3.0)], 12, chrono::Utc::now());
        let text = csv(&v);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("team,weeks,people,1:1s held as planned,"));
        assert!(lines.iter().any(|l| l.starts_with("'=cmd(),12,5,")), "{text}");
        assert!(lines.iter().any(|l| l.starts_with("Bo,12,,,,")), "{text}");
        assert!(lines.last().unwrap().starts_with("Everyone,12,14,1.000,"), "{text}");
    }
}
