//! The frame of every page (title, who is signed in, the form token, the current navigation
//! item) and the error page. Below `auth` and `error`, which show the error page.

use crate::domain::Person;
use crate::web::identity::Identity;
use askama::Template;

/// What every page's frame needs: the title, who is signed in, the form token.
pub struct Chrome {
    pub title: String,
    pub user: Option<Person>,
    pub csrf: String,
    /// Which main navigation item is current.
    pub nav: &'static str,
    pub asset_version: &'static str,
    /// The menu offers managers' tools (the org chart, frameworks): someone reports to them,
    /// or they are an admin.
    pub managers_menu: bool,
}

impl Chrome {
    pub fn bare(title: &str) -> Chrome {
        Chrome {
            title: title.to_string(),
            user: None,
            csrf: String::new(),
            nav: "",
            asset_version: crate::web::assets::VERSION,
            managers_menu: false,
        }
    }

    pub fn for_user(identity: &Identity, title: &str, nav: &'static str) -> Chrome {
        Chrome {
            title: title.to_string(),
            user: Some(identity.person().clone()),
            csrf: identity.csrf().to_string(),
            nav,
            asset_version: crate::web::assets::VERSION,
            managers_menu: identity.person().is_admin || identity.leads(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub c: Chrome,
    pub heading: &'a str,
    pub message: &'a str,
}
