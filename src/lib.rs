//! rapport: self-hosted 1:1 meetings for engineering leaders and their teammates.
//!
//! A tour of the code, from the outside in:
//!
//! - [`cli`]: the command line; `rapport serve` starts [`web`].
//! - [`web`]: routes, middleware (identity, CSRF), server-rendered pages and the JSON API.
//!   Handlers call use cases and render their results.
//! - [`app`]: the use cases, one function per thing a user does. Every one asks the access
//!   policy first (`domain::policy`), so the pages, the API and the CLI obey the same rules.
//! - [`domain`]: plain types and rules with no I/O: validation, reporting lines, the CSV
//!   import plan, the access policy.
//! - [`store`]: SQLite or PostgreSQL, chosen at start from the database URL; all SQL lives here.
//! - [`config`], [`clock`], [`demo`]: settings, injectable time, demo organisations.
//! - [`metrics`]: what `/metrics` counts (requests, the page cache, SQLite's writer) and its
//!   text format.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod metrics;
pub mod store;
pub mod web;
