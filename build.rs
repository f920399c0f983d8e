//! Rebuilds the crate when a migration changes: `sqlx::migrate!` embeds `migrations/` at
//! compile time, and the compiler does not watch a directory for new files by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
