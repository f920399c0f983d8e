//! Integration tests: one binary (one link on a 2-core machine), one module per area.
//! Every HTTP test runs against a real server on SQLite and on PostgreSQL.

mod support;

mod about;
mod account_security;
mod accounts;
mod aggregates;
mod api;
mod api_meetings;
mod architecture;
mod availability;
mod budgets;
mod cli;
mod corpus;
mod csv_injection;
mod dates;
mod evidence;
mod frameworks;
mod growth;
mod guidance;
mod handoff;
mod home;
mod insights;
mod kickoff;
mod meeting_pages;
mod meetings;
mod messaging;
mod metrics;
mod odd_hours;
mod people;
mod practice;
mod privacy;
mod program;
mod pulse;
mod reviews;
mod scheduler;
mod schema;
mod store_writer;
mod strategy;
mod templates;
mod wal;
mod webhooks;
mod weekly_loop;
