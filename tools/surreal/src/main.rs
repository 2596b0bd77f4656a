//! SurrealDB's `surreal` binary, built from the crate the SDK Genjin links is released with, so
//! `--db ws://…` is tested against the very server version it will meet.
// The release build lays out SurrealDB's deepest async functions here (its own crate sets the same).
#![recursion_limit = "256"]
fn main() -> std::process::ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
