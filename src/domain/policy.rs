//! The access policy: who may see and do what. The one place where it is decided.
//!
//! Every use case in `app` asks [`decide`] before it reads or writes anything that belongs to
//! a person, and turns a refusal into the same "not found" answer a missing record gets, so
//! nobody can learn from outside that a record exists. The rules follow the table in
//! PRODUCT.md; `tests` below checks every (role, action, resource) combination.

/// How the person acting relates to the person a resource is about (the teammate of a pair,
/// the subject of a profile, the recipient of feedback…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The resource is about the actor themselves.
    Themselves,
    /// The actor is the direct manager (for 1:1 content: the manager of the pair that wrote it).
    Manager,
    /// The actor is above the manager in the reporting tree.
    SkipLevel,
    /// None of the above.
    Unrelated,
    /// The actor is the direct manager, but became it by a change of reporting line, and the
    /// resource belongs to the person's past (the record the previous manager worked on). The
    /// previous manager's own writing stays with them; of the person's own record the new
    /// manager reads only what the person hands over ([`HandoffItem`]).
    NewManager,
    /// A new manager reading a part of the person's past record that the person handed over.
    HandedOver,
}

impl Relation {
    /// Every relation, for callers that ask whether an answer depends on the relation at all.
    pub const ALL: [Relation; 6] =
        [Relation::Themselves, Relation::Manager, Relation::SkipLevel, Relation::Unrelated, Relation::NewManager, Relation::HandedOver];

    /// Whether the actor is the person's direct manager (new or not).
    pub fn is_manager(self) -> bool {
        matches!(self, Relation::Manager | Relation::NewManager | Relation::HandedOver)
    }
}

/// What a person may hand over of their own record to a new manager (their choice, on the
/// handoff page). Nothing the previous manager wrote for themselves is ever in it: not the
/// about page, not private notes, not the setback records, not an unshared review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HandoffItem {
    /// Assessments, strengths, plans, track and level: the growth record (and the packets
    /// compiled from it).
    Growth,
    /// Reviews that were shared with the person, and their answers (to read, not to change).
    SharedReviews,
    /// Shared feedback the person received.
    FeedbackReceived,
    /// Their shared "how to work with me" page.
    WorkWithMe,
}

impl HandoffItem {
    pub const ALL: [HandoffItem; 4] =
        [HandoffItem::Growth, HandoffItem::SharedReviews, HandoffItem::FeedbackReceived, HandoffItem::WorkWithMe];

    pub fn slug(self) -> &'static str {
        match self {
            HandoffItem::Growth => "growth",
            HandoffItem::SharedReviews => "shared_reviews",
            HandoffItem::FeedbackReceived => "feedback_received",
            HandoffItem::WorkWithMe => "work_with_me",
        }
    }

    pub fn parse(s: &str) -> Option<HandoffItem> {
        HandoffItem::ALL.into_iter().find(|i| i.slug() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            HandoffItem::Growth => "My growth record: assessments, strengths, plans and review packets",
            HandoffItem::SharedReviews => "Reviews shared with me, and my answers",
            HandoffItem::FeedbackReceived => "Feedback I received",
            HandoffItem::WorkWithMe => "My \"how to work with me\" page",
        }
    }

    /// The part of the person's record a resource belongs to, when the person can hand it over.
    pub fn of(resource: Resource) -> Option<HandoffItem> {
        match resource {
            Resource::GrowthRecord { .. } | Resource::Assessment { .. } | Resource::GrowthShare | Resource::ReviewPacket => {
                Some(HandoffItem::Growth)
            }
            Resource::Review { .. } | Resource::ReviewAnswer { .. } => Some(HandoffItem::SharedReviews),
            Resource::Feedback { .. } => Some(HandoffItem::FeedbackReceived),
            Resource::WorkWithMe { .. } => Some(HandoffItem::WorkWithMe),
            _ => None,
        }
    }
}

/// Someone acting, as the policy sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    pub relation: Relation,
    pub is_admin: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Write,
}

impl Action {
    pub const ALL: [Action; 2] = [Action::Read, Action::Write];
}

/// What is being read or written. Variants carry the facts about the record that the rules
/// depend on (who wrote it, whether it was shared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// Directory entry: name, title, e-mail, time zone, manager. Visible to everyone signed in.
    Profile,
    /// The fields of a profile a person keeps themselves: their name and time zone.
    OwnProfileFields,
    /// Everything about a person an admin manages: e-mail, title, manager, admin flag; import.
    PersonRecord,
    /// Password and API tokens.
    Credentials,
    /// An invitation to join, for a person who will report to the actor (or anyone, for admins).
    Invitation,
    /// Shared agenda, shared notes and action items of a pair's 1:1s.
    SharedMeetingContent,
    /// A private note. `actor_is_author` says whether the actor wrote it.
    PrivateNote { actor_is_author: bool },
    /// The manager's private "about" page on a teammate.
    AboutPage,
    /// Feedback between two people. A draft (`shared` false) is the giver's alone; shared
    /// feedback is read by its giver, its recipient and the recipient's manager.
    Feedback { actor_is_giver: bool, actor_is_recipient: bool, shared: bool },
    /// Review periods: everyone reads them; admins define them.
    ReviewPeriod,
    /// A person's review packet, compiled from their record: the person and their manager.
    ReviewPacket,
    /// A review of a person: their manager writes and shares it; the person reads it once shared.
    Review { shared: bool },
    /// Acknowledging and answering a shared review: the person reviewed.
    ReviewAnswer { shared: bool },
    /// Assessments, plans and reviews. A skip-level leader may read them when the manager shared.
    GrowthRecord { shared_with_skip_level: bool },
    /// Aggregate figures about the practice of 1:1s (never content).
    PracticeFigures,
    /// A manager's own follow-through ("my practice"): theirs alone, not their manager's, not
    /// an admin's.
    OwnPractice,
    /// The leader's view of one's own organisation: aggregates of the teams below one (an
    /// admin's: of everyone), none drawn from fewer than five people (`domain::insights`).
    OrgFigures,
    /// Starting a series of 1:1s with someone: regular ones with a direct report, skip-level
    /// ones with someone further down one's organisation.
    Series { skip_level: bool },
    /// Pausing, resuming and ending a series that exists (relation as for the pair's 1:1s: the
    /// one who leads it is the manager): both see its state; the one who leads it changes it.
    SeriesState,
    /// The "worth your time?" answer to a 1:1 (relation as for the pair's 1:1s): the teammate
    /// gives it; the manager reads it, to see the trend.
    MeetingRating,
    /// A career framework: everyone reads it; admins import and change it.
    Framework,
    /// Recording an assessment of someone: a self-assessment by the person, the manager's by
    /// their manager. Reading assessments is a `GrowthRecord`.
    Assessment { self_assessment: bool },
    /// A person's track and level: set by their manager or an admin.
    PersonLevel,
    /// Whether a person's growth record is shared with the leaders above their manager: the
    /// manager decides; the person sees the choice.
    GrowthShare,
    /// A person's own messages: their inbox, calendar feed link and reminder settings. Only
    /// they see them; an admin neither (messages carry 1:1 content).
    OwnMessages,
    /// The job queue: what failed to send and why (no message content). Admins only.
    JobQueue,
    /// A person's own guidance: the questions they wrote, their favourites and their own
    /// templates. Only they see and change them (an admin too has only their own).
    OwnGuidance,
    /// The first ten 1:1s of a pair (relation as for the pair's 1:1s): both see the progress;
    /// the manager starts it, runs, skips, reorders and marks sessions done.
    Program,
    /// What a session captured: written and read by either of the pair. It then lands where
    /// it belongs, under that place's own rule (a strength, a plan, the shared notes).
    ProgramCapture,
    /// A person's "how to work with me" page. Only they write it. A draft (`shared` false) is
    /// theirs alone; once shared, their manager reads it, and so do the people who report to
    /// them (`actor_reports_to_subject`): a manager's page is most useful to a new teammate.
    /// Not skip-level leaders, not peers, not admins.
    WorkWithMe { shared: bool, actor_reports_to_subject: bool },
    /// A blameless setback record about a person: the person and their manager read it; the
    /// one of them who recorded it (`actor_is_author`) changes it. Not skip-level, not admins.
    SetbackRecord { actor_is_author: bool },
    /// The kickoff note of a pair's 1:1s: the manager of the series drafts, edits and sends
    /// it; the teammate reads it once it is sent (a draft is the manager's alone).
    Kickoff { sent: bool },
    /// A person's focus hours: they set them; their manager and the leaders above see them
    /// (as the warning when a 1:1 would fall in them).
    FocusHours,
    /// A leader's talking point placed into the 1:1s of a pair: the pair's manager is the
    /// subject, so the leader must be that manager or above them. Admins have no extra right
    /// (placing words into the 1:1s of people one does not lead is not an admin's job).
    StrategyPoint,
    /// A placement of a leader's talking point, whose subject is the leader: only they withdraw it.
    StrategyPlacement,
    /// A topic on a pair's agenda (relation as for the pair's 1:1s): both read and tick it; only
    /// the one who added it (`actor_is_author`) rewords or removes it.
    Topic { actor_is_author: bool },
    /// What a person hands over of their own record to a new manager: theirs alone to choose.
    Handoff,
    /// The changes of a person's reporting line (who, when): the person, their current
    /// manager, any former manager (`actor_was_manager`), and admins.
    ReportingChanges { actor_was_manager: bool },
    /// The teammate's pulse before a 1:1 (relation as for the pair's 1:1s): the teammate answers,
    /// their manager reads it. Only in 1:1s with one's manager (`regular_series`): a skip-level
    /// leader leads their series too, and nobody above the manager reads one person's pulse.
    Pulse { regular_series: bool },
}

impl Resource {
    /// Every resource shape, with each flag combination, for the table test.
    pub fn all() -> Vec<Resource> {
        let mut v = vec![
            Resource::Profile,
            Resource::OwnProfileFields,
            Resource::PersonRecord,
            Resource::Credentials,
            Resource::Invitation,
            Resource::SharedMeetingContent,
            Resource::AboutPage,
            Resource::PracticeFigures,
            Resource::OwnPractice,
            Resource::OrgFigures,
            Resource::Framework,
            Resource::PersonLevel,
            Resource::GrowthShare,
            Resource::OwnMessages,
            Resource::JobQueue,
            Resource::ReviewPeriod,
            Resource::ReviewPacket,
            Resource::OwnGuidance,
            Resource::Program,
            Resource::ProgramCapture,
            Resource::FocusHours,
            Resource::StrategyPoint,
            Resource::StrategyPlacement,
            Resource::Handoff,
            Resource::SeriesState,
            Resource::MeetingRating,
        ];
        for a in [false, true] {
            v.push(Resource::Series { skip_level: a });
            v.push(Resource::PrivateNote { actor_is_author: a });
            v.push(Resource::GrowthRecord { shared_with_skip_level: a });
            v.push(Resource::Assessment { self_assessment: a });
            v.push(Resource::Review { shared: a });
            v.push(Resource::ReviewAnswer { shared: a });
            v.push(Resource::SetbackRecord { actor_is_author: a });
            v.push(Resource::Topic { actor_is_author: a });
            for b in [false, true] {
                v.push(Resource::WorkWithMe { shared: a, actor_reports_to_subject: b });
            }
            v.push(Resource::Kickoff { sent: a });
            v.push(Resource::ReportingChanges { actor_was_manager: a });
            v.push(Resource::Pulse { regular_series: a });
            for b in [false, true] {
                for shared in [false, true] {
                    v.push(Resource::Feedback { actor_is_giver: a, actor_is_recipient: b, shared });
                }
            }
        }
        v
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

/// The whole policy. Pure: it looks only at its arguments.
pub fn decide(role: Role, action: Action, resource: Resource) -> Decision {
    use Action::*;
    use Relation::*;
    use Resource::*;
    let r = role.relation;
    if matches!(r, NewManager | HandedOver) {
        return if new_manager_allows(role, action, resource) { Decision::Allow } else { Decision::Deny };
    }
    let allowed = match resource {
        Profile => match action {
            Read => true,
            Write => role.is_admin,
        },
        OwnProfileFields => r == Themselves || role.is_admin,
        PersonRecord => match action {
            Read => true,
            Write => role.is_admin,
        },
        // Only you manage your own password and tokens; an admin resets by invitation instead.
        Credentials => r == Themselves,
        Invitation => role.is_admin || r == Manager,
        SharedMeetingContent => matches!(r, Themselves | Manager),
        // Private means private: not the other person, not a skip-level leader, not an admin.
        PrivateNote { actor_is_author } => actor_is_author && matches!(r, Themselves | Manager),
        AboutPage => r == Manager,
        Feedback { actor_is_giver, actor_is_recipient, shared } => match action {
            Read => actor_is_giver || (shared && (actor_is_recipient || r == Manager)),
            Write => actor_is_giver,
        },
        ReviewPeriod => match action {
            Read => true,
            Write => role.is_admin,
        },
        // Skip-level leaders and admins: nothing by default.
        ReviewPacket => match action {
            Read => matches!(r, Themselves | Manager),
            Write => false,
        },
        Review { shared } => match action {
            Read => r == Manager || (shared && r == Themselves),
            Write => r == Manager,
        },
        ReviewAnswer { shared } => match action {
            Read => r == Manager || (shared && r == Themselves),
            Write => shared && r == Themselves,
        },
        GrowthRecord { shared_with_skip_level } => match action {
            Read => matches!(r, Themselves | Manager) || (r == SkipLevel && shared_with_skip_level),
            Write => matches!(r, Themselves | Manager),
        },
        // Figures for a team: its manager, the leaders above and admins; never the members.
        PracticeFigures => match action {
            Read => matches!(r, Manager | SkipLevel) || role.is_admin,
            Write => false,
        },
        // The teammate sees their series (its meetings are theirs); only the leader runs it.
        Series { skip_level } => match action {
            Read => r == Themselves || (!skip_level && r == Manager) || (skip_level && r == SkipLevel),
            Write => (!skip_level && r == Manager) || (skip_level && r == SkipLevel),
        },
        SeriesState => match action {
            Read => matches!(r, Themselves | Manager),
            Write => r == Manager,
        },
        MeetingRating => match action {
            Read => matches!(r, Themselves | Manager),
            Write => r == Themselves,
        },
        Framework => match action {
            Read => true,
            Write => role.is_admin,
        },
        Assessment { self_assessment } => match action {
            Read => matches!(r, Themselves | Manager),
            Write => (self_assessment && r == Themselves) || (!self_assessment && r == Manager),
        },
        PersonLevel => match action {
            Read => matches!(r, Themselves | Manager) || role.is_admin,
            Write => r == Manager || role.is_admin,
        },
        GrowthShare => match action {
            Read => matches!(r, Themselves | Manager),
            Write => r == Manager,
        },
        OwnMessages => r == Themselves,
        JobQueue => role.is_admin,
        OwnGuidance => r == Themselves,
        Program => match action {
            Read => matches!(r, Themselves | Manager),
            Write => r == Manager,
        },
        ProgramCapture => matches!(r, Themselves | Manager),
        WorkWithMe { shared, actor_reports_to_subject } => match action {
            Read => r == Themselves || (shared && (r == Manager || actor_reports_to_subject)),
            Write => r == Themselves,
        },
        SetbackRecord { actor_is_author } => match action {
            Read => matches!(r, Themselves | Manager),
            Write => actor_is_author && matches!(r, Themselves | Manager),
        },
        Kickoff { sent } => match action {
            Read => r == Manager || (sent && r == Themselves),
            Write => r == Manager,
        },
        FocusHours => match action {
            Read => matches!(r, Themselves | Manager | SkipLevel),
            Write => r == Themselves,
        },
        StrategyPoint => matches!(r, Themselves | Manager | SkipLevel),
        StrategyPlacement | Handoff => r == Themselves,
        Topic { actor_is_author } => matches!(r, Themselves | Manager) && (action == Read || actor_is_author),
        ReportingChanges { actor_was_manager } => match action {
            Read => matches!(r, Themselves | Manager) || actor_was_manager || role.is_admin,
            Write => false,
        },
        OwnPractice | OrgFigures => action == Read && r == Themselves,
        Pulse { regular_series } => match action {
            Read => regular_series && matches!(r, Themselves | Manager),
            Write => regular_series && r == Themselves,
        },
    };
    if allowed { Decision::Allow } else { Decision::Deny }
}

/// A new manager: what the running of the new pair needs (their own 1:1s, their own about
/// page, the first ten 1:1s, a level, an invitation), nothing of the previous manager's writing,
/// and of the person's past record only what the person handed over — read, and for the growth
/// record also continued.
fn new_manager_allows(role: Role, action: Action, resource: Resource) -> bool {
    use Action::*;
    use Resource::*;
    let handed = role.relation == Relation::HandedOver && HandoffItem::of(resource).is_some();
    match resource {
        Profile | PersonRecord => action == Read || role.is_admin,
        OwnProfileFields => role.is_admin,
        Credentials | OwnMessages | OwnGuidance => false,
        JobQueue => role.is_admin,
        Invitation => true,
        // Their own 1:1s with the person, their own notes and their own about page.
        SharedMeetingContent | AboutPage | Program | ProgramCapture | StrategyPoint | Kickoff { .. } | SeriesState => true,
        // They lead the new pair's 1:1s; the teammate rates them.
        MeetingRating => action == Read,
        PrivateNote { actor_is_author } => actor_is_author,
        Series { skip_level } => !skip_level,
        PracticeFigures => action == Read,
        ReviewPeriod | Framework => action == Read || role.is_admin,
        PersonLevel => true,
        FocusHours => action == Read,
        Handoff | StrategyPlacement => false,
        Topic { actor_is_author } => action == Read || actor_is_author,
        ReportingChanges { .. } => action == Read,
        // The pulses of the pair before them were given to the previous manager; their own
        // pair's are theirs through its 1:1s.
        Pulse { .. } | OwnPractice | OrgFigures => false,
        // Records the previous manager wrote about the person: never. Their own: yes.
        SetbackRecord { actor_is_author } => actor_is_author,
        Feedback { actor_is_giver, actor_is_recipient, shared } => match action {
            Read => actor_is_giver || (shared && (actor_is_recipient || handed)),
            Write => actor_is_giver,
        },
        ReviewPacket => action == Read && handed,
        // A review of the past is the previous manager's: the person may hand over the shared
        // ones to read; nobody else's review is changed by the new manager.
        Review { shared } | ReviewAnswer { shared } => action == Read && shared && handed,
        // New entries are the new manager's own writing; reading the past needs the handoff.
        GrowthRecord { .. } => action == Write || handed,
        Assessment { self_assessment } => match action {
            Read => handed,
            Write => !self_assessment,
        },
        GrowthShare => handed,
        WorkWithMe { shared, actor_reports_to_subject } => action == Read && shared && (handed || actor_reports_to_subject),
    }
}

pub fn allows(role: Role, action: Action, resource: Resource) -> bool {
    decide(role, action, resource) == Decision::Allow
}

/// The policy's answer about one thing the actor may do, handed by the use cases to the pages
/// so that they offer a form or a button without deciding again. Only [`may`] makes one: a
/// page holding an `Allowed` holds what the policy said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowed(bool);

impl Allowed {
    pub fn yes(self) -> bool {
        self.0
    }
}

/// Asks the policy, for a page to show: as [`allows`], as an [`Allowed`].
pub fn may(role: Role, action: Action, resource: Resource) -> Allowed {
    Allowed(allows(role, action, resource))
}

#[cfg(test)]
mod tests;
