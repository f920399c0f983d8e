use super::*;
use Action::*;
use Resource::*;

/// The expected answer for every combination, written out independently of `decide` as
/// (resource, action, [themselves, manager, skip-level, unrelated], [the same as admin]).
/// A row reads like the table in PRODUCT.md.
fn expected() -> Vec<(Resource, Action, [bool; 4], [bool; 4])> {
    const T: bool = true;
    const F: bool = false;
    let mut rows = vec![
        (Profile, Read, [T, T, T, T], [T, T, T, T]),
        (Profile, Write, [F, F, F, F], [T, T, T, T]),
        (OwnProfileFields, Read, [T, F, F, F], [T, T, T, T]),
        (OwnProfileFields, Write, [T, F, F, F], [T, T, T, T]),
        (PersonRecord, Read, [T, T, T, T], [T, T, T, T]),
        (PersonRecord, Write, [F, F, F, F], [T, T, T, T]),
        (Credentials, Read, [T, F, F, F], [T, F, F, F]),
        (Credentials, Write, [T, F, F, F], [T, F, F, F]),
        (Invitation, Read, [F, T, F, F], [T, T, T, T]),
        (Invitation, Write, [F, T, F, F], [T, T, T, T]),
        (SharedMeetingContent, Read, [T, T, F, F], [T, T, F, F]),
        (SharedMeetingContent, Write, [T, T, F, F], [T, T, F, F]),
        (AboutPage, Read, [F, T, F, F], [F, T, F, F]),
        (AboutPage, Write, [F, T, F, F], [F, T, F, F]),
        (PracticeFigures, Read, [F, T, T, F], [T, T, T, T]),
        (PracticeFigures, Write, [F, F, F, F], [F, F, F, F]),
        // One's own practice: oneself only, whoever else asks.
        (OwnPractice, Read, [T, F, F, F], [T, F, F, F]),
        (OwnPractice, Write, [F, F, F, F], [F, F, F, F]),
        // The view of one's own organisation: asked by oneself (what it covers is one's own
        // part of the organisation, or all of it for an admin).
        (OrgFigures, Read, [T, F, F, F], [T, F, F, F]),
        (OrgFigures, Write, [F, F, F, F], [F, F, F, F]),
        (PrivateNote { actor_is_author: true }, Read, [T, T, F, F], [T, T, F, F]),
        (PrivateNote { actor_is_author: true }, Write, [T, T, F, F], [T, T, F, F]),
        (PrivateNote { actor_is_author: false }, Read, [F, F, F, F], [F, F, F, F]),
        (PrivateNote { actor_is_author: false }, Write, [F, F, F, F], [F, F, F, F]),
        (GrowthRecord { shared_with_skip_level: false }, Read, [T, T, F, F], [T, T, F, F]),
        (GrowthRecord { shared_with_skip_level: false }, Write, [T, T, F, F], [T, T, F, F]),
        (GrowthRecord { shared_with_skip_level: true }, Read, [T, T, T, F], [T, T, T, F]),
        (GrowthRecord { shared_with_skip_level: true }, Write, [T, T, F, F], [T, T, F, F]),
        (Series { skip_level: false }, Read, [T, T, F, F], [T, T, F, F]),
        (Series { skip_level: false }, Write, [F, T, F, F], [F, T, F, F]),
        (Series { skip_level: true }, Read, [T, F, T, F], [T, F, T, F]),
        (Series { skip_level: true }, Write, [F, F, T, F], [F, F, T, F]),
        (SeriesState, Read, [T, T, F, F], [T, T, F, F]),
        (SeriesState, Write, [F, T, F, F], [F, T, F, F]),
        (MeetingRating, Read, [T, T, F, F], [T, T, F, F]),
        (MeetingRating, Write, [T, F, F, F], [T, F, F, F]),
        (Framework, Read, [T, T, T, T], [T, T, T, T]),
        (Framework, Write, [F, F, F, F], [T, T, T, T]),
        (Assessment { self_assessment: true }, Read, [T, T, F, F], [T, T, F, F]),
        (Assessment { self_assessment: true }, Write, [T, F, F, F], [T, F, F, F]),
        (Assessment { self_assessment: false }, Read, [T, T, F, F], [T, T, F, F]),
        (Assessment { self_assessment: false }, Write, [F, T, F, F], [F, T, F, F]),
        (PersonLevel, Read, [T, T, F, F], [T, T, T, T]),
        (PersonLevel, Write, [F, T, F, F], [T, T, T, T]),
        (GrowthShare, Read, [T, T, F, F], [T, T, F, F]),
        (GrowthShare, Write, [F, T, F, F], [F, T, F, F]),
        (OwnMessages, Read, [T, F, F, F], [T, F, F, F]),
        (OwnMessages, Write, [T, F, F, F], [T, F, F, F]),
        (JobQueue, Read, [F, F, F, F], [T, T, T, T]),
        (JobQueue, Write, [F, F, F, F], [T, T, T, T]),
        (OwnGuidance, Read, [T, F, F, F], [T, F, F, F]),
        (OwnGuidance, Write, [T, F, F, F], [T, F, F, F]),
    ];
    rows.extend([
        (ReviewPeriod, Read, [T, T, T, T], [T, T, T, T]),
        (ReviewPeriod, Write, [F, F, F, F], [T, T, T, T]),
        (ReviewPacket, Read, [T, T, F, F], [T, T, F, F]),
        (ReviewPacket, Write, [F, F, F, F], [F, F, F, F]),
        (Review { shared: false }, Read, [F, T, F, F], [F, T, F, F]),
        (Review { shared: false }, Write, [F, T, F, F], [F, T, F, F]),
        (Review { shared: true }, Read, [T, T, F, F], [T, T, F, F]),
        (Review { shared: true }, Write, [F, T, F, F], [F, T, F, F]),
        (ReviewAnswer { shared: false }, Read, [F, T, F, F], [F, T, F, F]),
        (ReviewAnswer { shared: false }, Write, [F, F, F, F], [F, F, F, F]),
        (ReviewAnswer { shared: true }, Read, [T, T, F, F], [T, T, F, F]),
        (ReviewAnswer { shared: true }, Write, [T, F, F, F], [T, F, F, F]),
        (Program, Read, [T, T, F, F], [T, T, F, F]),
        (Program, Write, [F, T, F, F], [F, T, F, F]),
        (ProgramCapture, Read, [T, T, F, F], [T, T, F, F]),
        (ProgramCapture, Write, [T, T, F, F], [T, T, F, F]),
        // A draft: the writer alone, whoever else asks.
        (WorkWithMe { shared: false, actor_reports_to_subject: false }, Read, [T, F, F, F], [T, F, F, F]),
        (WorkWithMe { shared: false, actor_reports_to_subject: true }, Read, [T, F, F, F], [T, F, F, F]),
        // Shared: their manager, and the people who report to them. Never skip-level or admin.
        (WorkWithMe { shared: true, actor_reports_to_subject: false }, Read, [T, T, F, F], [T, T, F, F]),
        (WorkWithMe { shared: true, actor_reports_to_subject: true }, Read, [T, T, T, T], [T, T, T, T]),
        (SetbackRecord { actor_is_author: true }, Read, [T, T, F, F], [T, T, F, F]),
        (SetbackRecord { actor_is_author: true }, Write, [T, T, F, F], [T, T, F, F]),
        (SetbackRecord { actor_is_author: false }, Read, [T, T, F, F], [T, T, F, F]),
        (SetbackRecord { actor_is_author: false }, Write, [F, F, F, F], [F, F, F, F]),
        (Kickoff { sent: false }, Read, [F, T, F, F], [F, T, F, F]),
        (Kickoff { sent: false }, Write, [F, T, F, F], [F, T, F, F]),
        (Kickoff { sent: true }, Read, [T, T, F, F], [T, T, F, F]),
        (Kickoff { sent: true }, Write, [F, T, F, F], [F, T, F, F]),
        (FocusHours, Read, [T, T, T, F], [T, T, T, F]),
        (FocusHours, Write, [T, F, F, F], [T, F, F, F]),
        (StrategyPoint, Read, [T, T, T, F], [T, T, T, F]),
        (StrategyPoint, Write, [T, T, T, F], [T, T, T, F]),
        (StrategyPlacement, Read, [T, F, F, F], [T, F, F, F]),
        (StrategyPlacement, Write, [T, F, F, F], [T, F, F, F]),
        (Topic { actor_is_author: true }, Read, [T, T, F, F], [T, T, F, F]),
        (Topic { actor_is_author: true }, Write, [T, T, F, F], [T, T, F, F]),
        (Topic { actor_is_author: false }, Read, [T, T, F, F], [T, T, F, F]),
        (Topic { actor_is_author: false }, Write, [F, F, F, F], [F, F, F, F]),
        (Handoff, Read, [T, F, F, F], [T, F, F, F]),
        (Handoff, Write, [T, F, F, F], [T, F, F, F]),
        (ReportingChanges { actor_was_manager: false }, Read, [T, T, F, F], [T, T, T, T]),
        (ReportingChanges { actor_was_manager: false }, Write, [F, F, F, F], [F, F, F, F]),
        (ReportingChanges { actor_was_manager: true }, Read, [T, T, T, T], [T, T, T, T]),
        (ReportingChanges { actor_was_manager: true }, Write, [F, F, F, F], [F, F, F, F]),
        // The pulse: the teammate answers, the manager reads; nobody above, not even admins.
        (Pulse { regular_series: true }, Read, [T, T, F, F], [T, T, F, F]),
        (Pulse { regular_series: true }, Write, [T, F, F, F], [T, F, F, F]),
        (Pulse { regular_series: false }, Read, [F, F, F, F], [F, F, F, F]),
        (Pulse { regular_series: false }, Write, [F, F, F, F], [F, F, F, F]),
    ]);
    for shared in [false, true] {
        for reports in [false, true] {
            let res = WorkWithMe { shared, actor_reports_to_subject: reports };
            rows.push((res, Write, [T, F, F, F], [T, F, F, F]));
        }
    }
    for giver in [false, true] {
        for recipient in [false, true] {
            // A draft: the giver alone. Shared: giver, recipient and the recipient's manager.
            let draft = [giver; 4];
            let party = giver || recipient;
            let shared = [party, true, party, party];
            for (flag, read) in [(false, draft), (true, shared)] {
                let res = Feedback { actor_is_giver: giver, actor_is_recipient: recipient, shared: flag };
                rows.push((res, Read, read, read));
                rows.push((res, Write, [giver; 4], [giver; 4]));
            }
        }
    }
    rows
}

#[test]
fn every_role_action_and_resource_follows_the_privacy_table() {
    let rows = expected();
    // The table covers every resource shape and action: nothing is left to chance.
    for res in Resource::all() {
        for act in Action::ALL {
            assert!(rows.iter().any(|(r, a, _, _)| *r == res && *a == act), "no expectation written for {res:?} {act:?}");
        }
    }
    let mut checked = 0;
    for (res, act, plain, admin) in rows {
        for (i, rel) in Relation::ALL[..4].iter().enumerate() {
            for (is_admin, want) in [(false, plain[i]), (true, admin[i])] {
                let got = allows(Role { relation: *rel, is_admin }, act, res);
                assert_eq!(got, want, "{rel:?} (admin: {is_admin}) {act:?} {res:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, Resource::all().len() * 2 * 4 * 2);
}

/// A new manager (who became the manager by a change of reporting line), for the person's
/// past: (resource, action, [nothing handed over, the part handed over], [the same as admin]).
fn expected_for_new_managers() -> Vec<(Resource, Action, [bool; 2], [bool; 2])> {
    const T: bool = true;
    const F: bool = false;
    let mut rows = vec![
        (Profile, Read, [T, T], [T, T]),
        (Profile, Write, [F, F], [T, T]),
        (OwnProfileFields, Read, [F, F], [T, T]),
        (OwnProfileFields, Write, [F, F], [T, T]),
        (PersonRecord, Read, [T, T], [T, T]),
        (PersonRecord, Write, [F, F], [T, T]),
        (Credentials, Read, [F, F], [F, F]),
        (Credentials, Write, [F, F], [F, F]),
        (Invitation, Read, [T, T], [T, T]),
        (Invitation, Write, [T, T], [T, T]),
        (SharedMeetingContent, Read, [T, T], [T, T]),
        (SharedMeetingContent, Write, [T, T], [T, T]),
        // Their own about page (one per author): the previous manager's is never theirs.
        (AboutPage, Read, [T, T], [T, T]),
        (AboutPage, Write, [T, T], [T, T]),
        (PracticeFigures, Read, [T, T], [T, T]),
        (PracticeFigures, Write, [F, F], [F, F]),
        (OwnPractice, Read, [F, F], [F, F]),
        (OwnPractice, Write, [F, F], [F, F]),
        (OrgFigures, Read, [F, F], [F, F]),
        (OrgFigures, Write, [F, F], [F, F]),
        (PrivateNote { actor_is_author: true }, Read, [T, T], [T, T]),
        (PrivateNote { actor_is_author: true }, Write, [T, T], [T, T]),
        (PrivateNote { actor_is_author: false }, Read, [F, F], [F, F]),
        (PrivateNote { actor_is_author: false }, Write, [F, F], [F, F]),
        // The growth record of the past: read once handed over; new entries are their own.
        (GrowthRecord { shared_with_skip_level: false }, Read, [F, T], [F, T]),
        (GrowthRecord { shared_with_skip_level: false }, Write, [T, T], [T, T]),
        (GrowthRecord { shared_with_skip_level: true }, Read, [F, T], [F, T]),
        (GrowthRecord { shared_with_skip_level: true }, Write, [T, T], [T, T]),
        (Series { skip_level: false }, Read, [T, T], [T, T]),
        (Series { skip_level: false }, Write, [T, T], [T, T]),
        (Series { skip_level: true }, Read, [F, F], [F, F]),
        (Series { skip_level: true }, Write, [F, F], [F, F]),
        // Their own new pair's 1:1s: they run them; the teammate rates them.
        (SeriesState, Read, [T, T], [T, T]),
        (SeriesState, Write, [T, T], [T, T]),
        (MeetingRating, Read, [T, T], [T, T]),
        (MeetingRating, Write, [F, F], [F, F]),
        (Framework, Read, [T, T], [T, T]),
        (Framework, Write, [F, F], [T, T]),
        (Assessment { self_assessment: true }, Read, [F, T], [F, T]),
        (Assessment { self_assessment: true }, Write, [F, F], [F, F]),
        (Assessment { self_assessment: false }, Read, [F, T], [F, T]),
        (Assessment { self_assessment: false }, Write, [T, T], [T, T]),
        (PersonLevel, Read, [T, T], [T, T]),
        (PersonLevel, Write, [T, T], [T, T]),
        (GrowthShare, Read, [F, T], [F, T]),
        (GrowthShare, Write, [F, T], [F, T]),
        (OwnMessages, Read, [F, F], [F, F]),
        (OwnMessages, Write, [F, F], [F, F]),
        (JobQueue, Read, [F, F], [T, T]),
        (JobQueue, Write, [F, F], [T, T]),
        (OwnGuidance, Read, [F, F], [F, F]),
        (OwnGuidance, Write, [F, F], [F, F]),
        (ReviewPeriod, Read, [T, T], [T, T]),
        (ReviewPeriod, Write, [F, F], [T, T]),
        (ReviewPacket, Read, [F, T], [F, T]),
        (ReviewPacket, Write, [F, F], [F, F]),
        // The previous manager's reviews: a draft never; a shared one if handed over; the
        // new manager changes none of them (their own reviews are not the past).
        (Review { shared: false }, Read, [F, F], [F, F]),
        (Review { shared: false }, Write, [F, F], [F, F]),
        (Review { shared: true }, Read, [F, T], [F, T]),
        (Review { shared: true }, Write, [F, F], [F, F]),
        (ReviewAnswer { shared: false }, Read, [F, F], [F, F]),
        (ReviewAnswer { shared: false }, Write, [F, F], [F, F]),
        (ReviewAnswer { shared: true }, Read, [F, T], [F, T]),
        (ReviewAnswer { shared: true }, Write, [F, F], [F, F]),
        (Program, Read, [T, T], [T, T]),
        (Program, Write, [T, T], [T, T]),
        (ProgramCapture, Read, [T, T], [T, T]),
        (ProgramCapture, Write, [T, T], [T, T]),
        (WorkWithMe { shared: false, actor_reports_to_subject: false }, Read, [F, F], [F, F]),
        (WorkWithMe { shared: false, actor_reports_to_subject: true }, Read, [F, F], [F, F]),
        (WorkWithMe { shared: true, actor_reports_to_subject: false }, Read, [F, T], [F, T]),
        (WorkWithMe { shared: true, actor_reports_to_subject: true }, Read, [T, T], [T, T]),
        // The previous manager's setback records: never. Their own: yes.
        (SetbackRecord { actor_is_author: true }, Read, [T, T], [T, T]),
        (SetbackRecord { actor_is_author: true }, Write, [T, T], [T, T]),
        (SetbackRecord { actor_is_author: false }, Read, [F, F], [F, F]),
        (SetbackRecord { actor_is_author: false }, Write, [F, F], [F, F]),
        (Kickoff { sent: false }, Read, [T, T], [T, T]),
        (Kickoff { sent: false }, Write, [T, T], [T, T]),
        (Kickoff { sent: true }, Read, [T, T], [T, T]),
        (Kickoff { sent: true }, Write, [T, T], [T, T]),
        (FocusHours, Read, [T, T], [T, T]),
        (FocusHours, Write, [F, F], [F, F]),
        (StrategyPoint, Read, [T, T], [T, T]),
        (StrategyPoint, Write, [T, T], [T, T]),
        (StrategyPlacement, Read, [F, F], [F, F]),
        (StrategyPlacement, Write, [F, F], [F, F]),
        (Topic { actor_is_author: true }, Read, [T, T], [T, T]),
        (Topic { actor_is_author: true }, Write, [T, T], [T, T]),
        (Topic { actor_is_author: false }, Read, [T, T], [T, T]),
        (Topic { actor_is_author: false }, Write, [F, F], [F, F]),
        (Handoff, Read, [F, F], [F, F]),
        (Handoff, Write, [F, F], [F, F]),
        (ReportingChanges { actor_was_manager: false }, Read, [T, T], [T, T]),
        (ReportingChanges { actor_was_manager: false }, Write, [F, F], [F, F]),
        (ReportingChanges { actor_was_manager: true }, Read, [T, T], [T, T]),
        (ReportingChanges { actor_was_manager: true }, Write, [F, F], [F, F]),
        (Pulse { regular_series: true }, Read, [F, F], [F, F]),
        (Pulse { regular_series: true }, Write, [F, F], [F, F]),
        (Pulse { regular_series: false }, Read, [F, F], [F, F]),
        (Pulse { regular_series: false }, Write, [F, F], [F, F]),
    ];
    for shared in [false, true] {
        for reports in [false, true] {
            rows.push((WorkWithMe { shared, actor_reports_to_subject: reports }, Write, [F, F], [F, F]));
        }
    }
    for giver in [false, true] {
        for recipient in [false, true] {
            for shared in [false, true] {
                let res = Feedback { actor_is_giver: giver, actor_is_recipient: recipient, shared };
                // Their own feedback; received feedback of the past only once handed over.
                let read = [giver || (shared && recipient), giver || shared];
                rows.push((res, Read, read, read));
                rows.push((res, Write, [giver; 2], [giver; 2]));
            }
        }
    }
    rows
}

#[test]
fn a_new_manager_reads_of_the_past_only_what_was_handed_over() {
    let rows = expected_for_new_managers();
    for res in Resource::all() {
        for act in Action::ALL {
            assert!(rows.iter().any(|(r, a, _, _)| *r == res && *a == act), "no expectation written for {res:?} {act:?}");
        }
    }
    let mut checked = 0;
    for (res, act, plain, admin) in rows {
        for (i, rel) in [Relation::NewManager, Relation::HandedOver].iter().enumerate() {
            for (is_admin, want) in [(false, plain[i]), (true, admin[i])] {
                let got = allows(Role { relation: *rel, is_admin }, act, res);
                assert_eq!(got, want, "{rel:?} (admin: {is_admin}) {act:?} {res:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, Resource::all().len() * 2 * 2 * 2);
}

#[test]
fn a_new_manager_never_gets_what_the_previous_manager_wrote_for_themselves() {
    for rel in [Relation::NewManager, Relation::HandedOver] {
        for is_admin in [false, true] {
            let role = Role { relation: rel, is_admin };
            for res in [
                PrivateNote { actor_is_author: false },
                SetbackRecord { actor_is_author: false },
                Review { shared: false },
                Review { shared: true },
            ] {
                assert!(!allows(role, Write, res), "{rel:?} {res:?}");
            }
            assert!(!allows(role, Read, Review { shared: false }));
            assert!(!allows(role, Read, SetbackRecord { actor_is_author: false }));
        }
    }
}

#[test]
fn an_admin_never_reads_someone_elses_private_note() {
    for rel in Relation::ALL {
        assert_eq!(decide(Role { relation: rel, is_admin: true }, Read, PrivateNote { actor_is_author: false }), Decision::Deny);
    }
}
