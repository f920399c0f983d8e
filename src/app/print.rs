//! The review packet as one print-ready HTML document (askama, like the e-mails in `mail.rs`),
//! rendered in one place for every surface: the page's download (styles linked, served by
//! rapport, whose CSP refuses inline styles), and the API's and the command line's standalone
//! file (styles written in, for a file read without rapport).

use crate::app::reviews::ReviewView;
use crate::domain::review::Packet;
use askama::Template;

/// The packet's styles (screen and print), served as `/static/print.css` and written into a
/// standalone packet.
pub const PRINT_CSS: &str = include_str!("../../static/print.css");

#[derive(Template)]
#[template(path = "packet_print.html")]
struct PacketPrint<'a> {
    p: &'a Packet,
    review: Option<&'a ReviewView>,
    /// The styles written into the document, or `None` to link `/static/print.css`.
    inline_css: Option<&'static str>,
    asset_version: &'static str,
}

/// The packet (and the review, when given) as a page served by rapport: its styles are the
/// linked `/static/print.css?v={asset_version}`.
pub fn packet_html(p: &Packet, review: Option<&ReviewView>, asset_version: &'static str) -> anyhow::Result<String> {
    Ok(PacketPrint { p, review, inline_css: None, asset_version }.render()?)
}

/// The same document standing alone: the styles are written into it.
pub fn packet_html_standalone(p: &Packet, review: Option<&ReviewView>) -> anyhow::Result<String> {
    Ok(PacketPrint { p, review, inline_css: Some(PRINT_CSS), asset_version: "" }.render()?)
}
