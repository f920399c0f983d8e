//! The domain: plain types and rules, no I/O.
//!
//! Architecture invariant: nothing in this module imports a web or database crate (axum,
//! sqlx, askama). A test in `tests/it/architecture.rs` greps for it. Everything here can be
//! unit-tested without a runtime.

pub mod about;
pub mod csv_cells;
pub mod day;
pub mod framework;
pub mod growth;
pub mod guidance;
pub mod ical;
pub mod insights;
pub mod kickoff;
pub mod meeting;
pub mod merge;
pub mod messages;
pub mod people_csv;
pub mod person;
pub mod policy;
pub mod practice;
pub mod program;
pub mod pulse;
pub mod reporting;
pub mod review;
pub mod schedule;
pub mod setback;
pub mod strategy;
pub mod template_files;
pub mod text;
pub mod validation;
pub mod zone;

pub use person::{EmailAddress, Person, PersonId, PersonWithReports};
pub use validation::{FieldError, Invalid};
pub use zone::Zone;

/// One page of a list, newest conventions: 1-based page number and a size.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    pub fn offset(&self) -> i64 {
        (self.number.saturating_sub(1) as i64) * self.size as i64
    }
}
