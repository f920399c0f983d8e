//! The e-mails rapport sends: one folder per message under `templates/mail/`, each with a
//! plain-text and an HTML body (askama, so every value is escaped in the HTML one). A
//! message is rendered when it is queued, so the job holds exactly what will be sent.

use askama::Template;

/// A rendered message, ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

macro_rules! mail {
    ($name:ident, $text:tt, $html:tt, { $($field:ident : $ty:ty),* $(,)? }) => {
        pub mod $name {
            use askama::Template;
            #[derive(Template)]
            #[template(path = $text)]
            pub struct Text<'a> {
                pub subject: &'a str,
                $(pub $field: $ty,)*
            }
            #[derive(Template)]
            #[template(path = $html)]
            pub struct Html<'a> {
                pub subject: &'a str,
                $(pub $field: $ty,)*
            }
            /// What the message says, once: both bodies are rendered from it.
            pub struct Mail<'a> {
                $(pub $field: $ty,)*
            }
            impl<'a> Mail<'a> {
                /// Both bodies, with `subject` as the message's subject and heading.
                #[allow(clippy::clone_on_copy)] // most fields are `&str`; lists need a copy
                pub fn render(self, subject: &'a str) -> anyhow::Result<super::Rendered> {
                    let text = Text { subject, $($field: self.$field.clone(),)* };
                    let html = Html { subject, $($field: self.$field,)* };
                    super::render(subject, &text, &html)
                }
            }
        }
    };
}

mail!(series_started, "mail/series_started/text.txt", "mail/series_started/html.html", { name: &'a str, other: &'a str, for_teammate: bool, cadence: &'a str, when: &'a str, minutes: u32, first: &'a str, link: &'a str });
mail!(meeting_moved, "mail/meeting_moved/text.txt", "mail/meeting_moved/html.html", { name: &'a str, other: &'a str, from: &'a str, to: &'a str, reason: &'a str, link: &'a str });
mail!(meeting_cancelled, "mail/meeting_cancelled/text.txt", "mail/meeting_cancelled/html.html", { name: &'a str, other: &'a str, when: &'a str, status: &'a str, reason: &'a str, link: &'a str });
mail!(prep_reminder, "mail/prep_reminder/text.txt", "mail/prep_reminder/html.html", { name: &'a str, other: &'a str, when: &'a str, topics: Vec<String>, actions: Vec<String>, link: &'a str, pulse_link: Option<String> });
mail!(overdue_actions, "mail/overdue_actions/text.txt", "mail/overdue_actions/html.html", { name: &'a str, items: Vec<String>, link: &'a str });
mail!(topic_nudge, "mail/topic_nudge/text.txt", "mail/topic_nudge/html.html", { name: &'a str, other: &'a str, when: &'a str, link: &'a str });
mail!(gap_alert, "mail/gap_alert/text.txt", "mail/gap_alert/html.html", { name: &'a str, other: &'a str, since: &'a str, next: &'a str, link: &'a str });
mail!(weekly_digest, "mail/weekly_digest/text.txt", "mail/weekly_digest/html.html", { name: &'a str, meetings: Vec<String>, actions: Vec<String>, link: &'a str });
mail!(series_changed, "mail/series_changed/text.txt", "mail/series_changed/html.html", { name: &'a str, other: &'a str, what: &'a str, link: &'a str });
mail!(meeting_restored, "mail/meeting_restored/text.txt", "mail/meeting_restored/html.html", { name: &'a str, other: &'a str, when: &'a str, link: &'a str });
mail!(invitation, "mail/invitation/text.txt", "mail/invitation/html.html", { name: &'a str, inviter: &'a str, expires: &'a str, link: &'a str });
mail!(review_shared, "mail/review_shared/text.txt", "mail/review_shared/html.html", { name: &'a str, manager: &'a str, period: &'a str, link: &'a str });
mail!(kickoff, "mail/kickoff/text.txt", "mail/kickoff/html.html", { body: &'a str, body_html: &'a str, manager: &'a str, link: &'a str });
// An inbox message only (never e-mailed), so its HTML is a paragraph without the layout.
mail!(reporting_line, "mail/reporting_line/text.txt", "mail/reporting_line/html.html", { body: &'a str });
mail!(test, "mail/test/text.txt", "mail/test/html.html", { link: &'a str, server: &'a str });

/// Renders both bodies of a message.
fn render(subject: &str, text: &impl Template, html: &impl Template) -> anyhow::Result<Rendered> {
    Ok(Rendered { subject: subject.to_string(), text: text.render()?, html: html.render()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_escape_what_people_typed_and_text_bodies_keep_it() {
        let topics = vec!["<script>alert(1)</script> & more".to_string()];
        let subject = "Your 1:1 with Bob";
        let r = render(
            subject,
            &prep_reminder::Text {
                subject,
                name: "Ada",
                other: "Bob",
                when: "tomorrow",
                topics: topics.clone(),
                actions: vec![],
                link: "http://x/m",
                pulse_link: None,
            },
            &prep_reminder::Html {
                subject,
                name: "Ada",
                other: "Bob",
                when: "tomorrow",
                topics,
                actions: vec![],
                link: "http://x/m",
                pulse_link: None,
            },
        )
        .unwrap();
        assert!(r.text.contains("- <script>alert(1)</script> & more"));
        assert!(r.html.contains("&#60;script&#62;") || r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert!(!r.html.contains("<script>"));
        assert!(r.text.contains("No open action items."));
    }

    #[test]
    fn the_reporting_line_note_is_its_sentence_as_typed_and_one_escaped_paragraph() {
        let body = "Ann <Lee> now reports to Bo & Co.";
        let r = reporting_line::Mail { body }.render("Reporting line").unwrap();
        assert_eq!(r.text, body);
        assert!(r.html.starts_with("<p>Ann ") && r.html.ends_with(" Co.</p>"), "{}", r.html);
        assert!(!r.html.contains("<Lee>") && !r.html.contains(" & "), "{}", r.html);
    }
}
