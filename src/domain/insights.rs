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
    /// The value, when drawn from five people at least.
    fn value_of_many(&self) -> Option<f64> {
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
    /// The organisation of each leader of leaders below the reader (their own team and every
    /// team below them), by name: subtotals, under the same rules as the teams.
    pub organisations: Vec<Row>,
    /// What is not shown team by team or organisation by organisation, together (when
    /// anything is).
    pub others: Option<Row>,
    pub overall: Row,
    /// Teams none of whose figures are shown, by name: the page says why.
    pub hidden_teams: Vec<String>,
}

/// A manager of the organisation and their own manager: how its teams nest.
#[derive(Debug, Clone)]
pub struct Leader {
    pub id: PersonId,
    pub name: String,
    pub manager: Option<PersonId>,
}

fn shown_size(n: usize) -> Option<usize> {
    (n >= MIN_PEOPLE).then_some(n)
}

/// The rows that sum teams, as sets of teams (by index, in order): each team alone, each
/// leader's organisation, and everyone. They nest (any two are apart, or one holds the other).
struct Cells {
    leaves: Vec<Vec<usize>>,
    /// The cells right inside each one (whose smallest holder it is).
    children: Vec<Vec<usize>>,
}

impl Cells {
    /// Teams first, then the organisations of `orgs` (leader, teams), then everyone.
    fn new(teams: usize, orgs: &[Vec<usize>]) -> Cells {
        let mut leaves: Vec<Vec<usize>> = (0..teams).map(|k| vec![k]).collect();
        leaves.extend(orgs.iter().cloned());
        leaves.push((0..teams).collect());
        let holds = |a: &[usize], b: &[usize]| a.len() > b.len() && b.iter().all(|k| a.binary_search(k).is_ok());
        let mut children = vec![vec![]; leaves.len()];
        for c in 0..leaves.len() {
            if let Some(p) = (0..leaves.len()).filter(|&p| holds(&leaves[p], &leaves[c])).min_by_key(|&p| (leaves[p].len(), p)) {
                children[p].push(c);
            }
        }
        Cells { leaves, children }
    }
    /// The cells shown right below `c`: its children shown, and below each child not shown.
    fn shown_below(&self, c: usize, shown: &[bool], out: &mut Vec<usize>) {
        for &d in &self.children[c] {
            if shown[d] {
                out.push(d);
            } else {
                self.shown_below(d, shown, out);
            }
        }
    }
    /// The teams of `c` that no cell shown below it holds: what the rows give away of `c` when
    /// `c` is shown.
    fn rest(&self, c: usize, shown: &[bool]) -> Vec<usize> {
        let mut below = vec![];
        self.shown_below(c, shown, &mut below);
        let covered: BTreeSet<usize> = below.iter().flat_map(|&d| self.leaves[d].iter().copied()).collect();
        self.leaves[c].iter().copied().filter(|k| !covered.contains(k)).collect()
    }
}

/// The view of `teams` (already only those of the reader's organisation) over `weeks`, as of
/// `as_of`. `leaders` are the organisation's managers with their own managers, and `root` the
/// reader (none: the whole organisation), whose own organisation is everyone.
///
/// Each row sums some teams, and rows nest: a team in its leader's organisation, in its
/// leader's, in everyone. For each figure, a row is shown only when it is drawn from five
/// people at least; and then what it holds beyond the rows shown inside it (its rest, which
/// anyone can work out as the row less those) must be drawn from five people or nobody, or the
/// smallest row shown inside it is hidden too, until it is. Rows are settled smallest first,
/// so a row hidden for its parent never leaves a smaller one giving anything away.
pub fn leader_view(
    mut teams: Vec<TeamFacts>,
    leaders: &[Leader],
    root: Option<PersonId>,
    weeks: u32,
    as_of: chrono::DateTime<chrono::Utc>,
) -> LeaderView {
    teams.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.manager.cmp(&b.manager)));
    let n = FIGURES.len();
    // Each leader's organisation: the teams of the leader and of everyone below them (not the
    // reader's: that is everyone). Only those of two teams or more: one team is its own row.
    let up: std::collections::BTreeMap<PersonId, Option<PersonId>> = leaders.iter().map(|l| (l.id, l.manager)).collect();
    let mut orgs: std::collections::BTreeMap<PersonId, Vec<usize>> = Default::default();
    for (k, t) in teams.iter().enumerate() {
        let mut at = Some(t.manager);
        let mut seen = BTreeSet::new();
        while let Some(l) = at.filter(|l| Some(*l) != root && seen.insert(*l)) {
            orgs.entry(l).or_default().push(k);
            at = up.get(&l).copied().flatten();
        }
    }
    let name = |id: PersonId| leaders.iter().find(|l| l.id == id).map(|l| l.name.clone()).unwrap_or_default();
    let mut orgs: Vec<(PersonId, Vec<usize>)> = orgs.into_iter().filter(|(_, ks)| ks.len() >= 2 && ks.len() < teams.len()).collect();
    orgs.sort_by(|a, b| name(a.0).to_lowercase().cmp(&name(b.0).to_lowercase()).then(a.0.cmp(&b.0)));
    let cells = Cells::new(teams.len(), &orgs.iter().map(|(_, ks)| ks.clone()).collect::<Vec<_>>());
    let everyone = cells.leaves.len() - 1;
    let mut values = vec![vec![None; n]; cells.leaves.len()];
    let mut others: Vec<Option<Measure>> = vec![None; n];
    for (i, _) in FIGURES.iter().enumerate() {
        let pooled = |ks: &[usize]| {
            let mut m = Measure::default();
            for &k in ks {
                m.add(&teams[k].measures[i]);
            }
            m
        };
        // A row stands for no more people than its teams have: a team of four stays hidden
        // even where its manager's own actions make five owners.
        let size = |ks: &[usize]| {
            let members: BTreeSet<Uuid> = ks.iter().flat_map(|&k| teams[k].people.iter().copied()).collect();
            pooled(ks).people.len().min(members.len())
        };
        let mut shown: Vec<bool> = cells.leaves.iter().map(|ks| size(ks) >= MIN_PEOPLE && pooled(ks).whole > 0.0).collect();
        let mut order: Vec<usize> = (0..cells.leaves.len()).collect();
        order.sort_by_key(|&c| (cells.leaves[c].len(), c));
        for &c in &order {
            while shown[c] && (1..MIN_PEOPLE).contains(&size(&cells.rest(c, &shown))) {
                let mut below = vec![];
                cells.shown_below(c, &shown, &mut below);
                let Some(smallest) = below.into_iter().min_by_key(|&d| (size(&cells.leaves[d]), d)) else { break };
                shown[smallest] = false;
            }
        }
        for (c, ks) in cells.leaves.iter().enumerate() {
            values[c][i] = if shown[c] { pooled(ks).value_of_many() } else { None };
        }
        if shown[everyone] {
            let rest = pooled(&cells.rest(everyone, &shown));
            others[i] = (rest.whole > 0.0).then_some(rest);
        }
    }
    let row = |c: usize, manager: Option<PersonId>, label: String| {
        let members: BTreeSet<Uuid> = cells.leaves[c].iter().flat_map(|&k| teams[k].people.iter().copied()).collect();
        Row { manager, label, people: shown_size(members.len()), values: values[c].clone() }
    };
    let rows: Vec<Row> = teams.iter().enumerate().map(|(k, t)| row(k, Some(t.manager), t.name.clone())).collect();
    let organisations: Vec<Row> = orgs.iter().enumerate().map(|(o, (l, _))| row(teams.len() + o, Some(*l), name(*l))).collect();
    let hidden_teams = teams.iter().zip(&rows).filter(|(_, r)| r.values.iter().all(Option::is_none)).map(|(t, _)| t.name.clone()).collect();
    // "Other teams": the rest of everyone, figure by figure; its people, those of 1:1s held.
    let others = others.iter().any(Option::is_some).then(|| {
        let first = others[0].as_ref().map(|m| m.people.len()).unwrap_or(0);
        Row {
            manager: None,
            label: "Other teams".into(),
            people: shown_size(first),
            values: others.iter().map(|m| m.as_ref().and_then(Measure::value_of_many)).collect(),
        }
    });
    let overall = row(everyone, None, "Everyone".into());
    LeaderView { weeks, as_of, figures: FIGURES.to_vec(), teams: rows, organisations, others, overall, hidden_teams }
}

/// The view as CSV: one row a team, then a row an organisation, "other teams" and everyone,
/// each saying which it is; a figure not shown is an empty cell. Every cell is made safe for
/// spreadsheets.
pub fn csv(v: &LeaderView) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut header = vec!["row".to_string(), "name".to_string(), "weeks".to_string(), "people".to_string()];
    header.extend(v.figures.iter().map(|f| f.label().to_string()));
    let _ = w.write_record(&header);
    let rows = v
        .teams
        .iter()
        .map(|r| ("team", r))
        .chain(v.organisations.iter().map(|r| ("organisation", r)))
        .chain(v.others.iter().map(|r| ("other teams", r)))
        .chain([("everyone", &v.overall)]);
    for (kind, r) in rows {
        let mut record = vec![
            kind.to_string(),
            super::csv_cells::escape(&r.label),
            v.weeks.to_string(),
            r.people.map(|n| n.to_string()).unwrap_or_default(),
        ];
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
        let v =
            leader_view(vec![team("Ann", 0, 6, 4.0), team("Bo", 10, 4, 2.0), team("Cy", 20, 7, 5.0)], &[], None, 12, chrono::Utc::now());
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
        let v = leader_view(vec![five, big], &[], None, 4, chrono::Utc::now());
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
        let v = leader_view(vec![four, big], &[], None, 12, chrono::Utc::now());
        assert!(v.teams[0].values.iter().all(Option::is_none), "{:?}", v.teams[0]);
        assert_eq!(v.hidden_teams, ["Ida", "Jo"]);
        assert_eq!(v.others.as_ref().unwrap().people, Some(10));
    }

    #[test]
    fn fewer_than_five_in_all_shows_nothing() {
        let v = leader_view(vec![team("Fay", 0, 2, 1.0), team("Gus", 10, 2, 5.0)], &[], None, 12, chrono::Utc::now());
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
            let v = leader_view(teams.clone(), &[], None, 12, chrono::Utc::now());
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

    fn leader(id: u128, name: &str, manager: Option<u128>) -> Leader {
        Leader {
            id: PersonId(Uuid::from_u128(1000 + id)),
            name: name.into(),
            manager: manager.map(|m| PersonId(Uuid::from_u128(1000 + m))),
        }
    }

    #[test]
    fn an_organisation_less_its_teams_shown_never_gives_a_small_team_away() {
        // Dana (the reader) leads Lee and Cy; Lee leads Ann (six) and Bo (four) and has no
        // 1:1s of his own in the window. Lee's organisation (ten) less Ann's team would be
        // Bo's four: Ann's team is hidden too, and Lee's ten are shown.
        let leaders = [leader(0, "Dana", None), leader(1, "Lee", Some(0)), leader(2, "Ann", Some(1)), leader(3, "Bo", Some(1))];
        let mut cy = team("Cy", 40, 7, 5.0);
        cy.manager = PersonId(Uuid::from_u128(1000));
        let dana = Some(PersonId(Uuid::from_u128(1000)));
        let mut ann = team("Ann", 0, 6, 4.0);
        ann.manager = PersonId(Uuid::from_u128(1002));
        let mut bo = team("Bo", 10, 4, 2.0);
        bo.manager = PersonId(Uuid::from_u128(1003));
        let v = leader_view(vec![ann, bo, cy], &leaders, dana, 12, chrono::Utc::now());
        assert_eq!(v.organisations.iter().map(|r| r.label.as_str()).collect::<Vec<_>>(), ["Lee"]);
        let lee = &v.organisations[0];
        assert_eq!((lee.people, value(lee, Figure::Rating)), (Some(10), Some((24.0 + 8.0) / 10.0)));
        assert_eq!((value(&v.teams[0], Figure::Rating), value(&v.teams[1], Figure::Rating)), (None, None));
        assert_eq!(value(&v.teams[2], Figure::Rating), Some(5.0));
        // Everyone is Lee's ten and Cy's seven, both shown: nothing is left for "other teams".
        assert!(v.others.is_none(), "{:?}", v.others);
        assert_eq!(v.hidden_teams, ["Ann", "Bo"]);

        // With Di's team of four under Dana too, "other teams" would be those four alone
        // (everyone less Lee's and Cy's): the smaller of the two, Cy's seven, joins it.
        let leaders = [&leaders[..], &[leader(4, "Di", Some(0))]].concat();
        let mut di = team("Di", 60, 4, 1.0);
        di.manager = PersonId(Uuid::from_u128(1004));
        let (mut ann, mut bo, mut cy) = (team("Ann", 0, 6, 4.0), team("Bo", 10, 4, 2.0), team("Cy", 40, 7, 5.0));
        (ann.manager, bo.manager, cy.manager) =
            (PersonId(Uuid::from_u128(1002)), PersonId(Uuid::from_u128(1003)), PersonId(Uuid::from_u128(1000)));
        let v = leader_view(vec![ann, bo, cy, di], &leaders, dana, 12, chrono::Utc::now());
        assert_eq!(value(&v.organisations[0], Figure::Rating), Some(3.2), "Lee's ten");
        assert_eq!(value(&v.teams[2], Figure::Rating), None, "Cy's seven");
        let others = v.others.as_ref().expect("other teams");
        assert_eq!((others.people, value(others, Figure::Rating)), (Some(11), Some((35.0 + 4.0) / 11.0)));
        assert_eq!(value(&v.overall, Figure::Rating), Some((24.0 + 8.0 + 35.0 + 4.0) / 21.0));
    }

    /// A small random number generator, so that the test below is the same on every run.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn in_any_organisation_no_fewer_than_five_people_can_be_worked_out_from_the_rows_shown() {
        // Random organisations: leaders under leaders, each with a team of 0 to 8 people. The
        // rows shown for a figure pin down only sums over groups of teams that share the same
        // rows (for nested rows, each is a row less the rows shown inside it): every such group
        // must hold nobody or five people at least.
        let mut rng = Lcg(7);
        for case in 0..400 {
            let count = 2 + rng.below(9) as u128;
            let parents: Vec<Option<u128>> = (0..count).map(|l| if l == 0 { None } else { Some(rng.below(l as u64) as u128) }).collect();
            let leaders: Vec<Leader> = (0..count).map(|l| leader(l, &format!("L{l:02}"), parents[l as usize])).collect();
            let mut teams = vec![];
            let mut sizes = std::collections::BTreeMap::new();
            for l in 0..count {
                let size = rng.below(9) as u128;
                if size > 0 {
                    let mut t = team(&format!("L{l:02}"), 100 * l, size, 1.0 + (l % 5) as f64);
                    t.manager = PersonId(Uuid::from_u128(1000 + l));
                    teams.push(t);
                    sizes.insert(l, size as usize);
                }
            }
            let root = if case % 3 == 0 { None } else { Some(PersonId(Uuid::from_u128(1000))) };
            let v = leader_view(teams, &leaders, root, 12, chrono::Utc::now());
            let below = |l: u128, of: u128| {
                let mut at = Some(l);
                while let Some(a) = at {
                    if a == of {
                        return true;
                    }
                    at = parents[a as usize];
                }
                false
            };
            let i = Figure::Rating.index();
            let mut groups: std::collections::BTreeMap<Vec<String>, usize> = Default::default();
            for (&l, &size) in &sizes {
                let id = PersonId(Uuid::from_u128(1000 + l));
                let mut signature = vec![];
                if v.teams.iter().any(|r| r.manager == Some(id) && r.values[i].is_some()) {
                    signature.push(format!("team {l}"));
                }
                for o in v.organisations.iter().filter(|o| o.values[i].is_some()) {
                    let leader = o.manager.unwrap().0.as_u128() - 1000;
                    if below(l, leader) {
                        signature.push(format!("org {leader}"));
                    }
                }
                if v.overall.values[i].is_some() {
                    signature.push("everyone".into());
                }
                if !signature.is_empty() {
                    *groups.entry(signature).or_default() += size;
                }
            }
            for (signature, people) in groups {
                assert!(people >= MIN_PEOPLE, "case {case}: {people} people can be worked out from {signature:?}; {parents:?} {sizes:?}");
            }
        }
    }

    #[test]
    fn the_csv_leaves_hidden_figures_empty_and_makes_names_safe() {
        let v =
            leader_view(vec![team("=cmd()", 0, 5, 4.0), team("Bo", 10, 4, 2.0), team("Cy", 20, 5, 3.0)], &[], None, 12, chrono::Utc::now());
        let text = csv(&v);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("row,name,weeks,people,1:1s held as planned,"));
        assert!(lines.iter().any(|l| l.starts_with("team,'=cmd(),12,5,")), "{text}");
        assert!(lines.iter().any(|l| l.starts_with("team,Bo,12,,,,")), "{text}");
        assert!(lines.last().unwrap().starts_with("everyone,Everyone,12,14,1.000,"), "{text}");
    }
}
