//! Who is asking: a browser with a session, or a script with an API token. [`super::auth`]
//! finds it on each request; pages and handlers read it.

use crate::app::accounts::Session;
use crate::domain::Person;

#[derive(Clone, Debug)]
pub enum Identity {
    /// A browser with a session cookie. Unsafe requests must carry its CSRF token.
    Session(Session),
    /// A script with a personal API token. No cookie, so nothing to forge.
    Token(Person),
}

impl Identity {
    pub fn person(&self) -> &Person {
        match self {
            Identity::Session(s) => &s.person,
            Identity::Token(p) => p,
        }
    }

    /// Whether anyone reports to them (known for a browser session; a script has no menu).
    pub fn leads(&self) -> bool {
        match self {
            Identity::Session(s) => s.leads,
            Identity::Token(_) => false,
        }
    }

    pub fn csrf(&self) -> &str {
        match self {
            Identity::Session(s) => &s.csrf_token,
            Identity::Token(_) => "",
        }
    }

    pub fn session_token(&self) -> Option<&str> {
        match self {
            Identity::Session(s) => Some(&s.token),
            Identity::Token(_) => None,
        }
    }
}
