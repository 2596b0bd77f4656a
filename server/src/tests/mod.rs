//! The `/api/v1` contract of API.md and the browser's doors onto the server, driven through the
//! router over a fresh embedded database per test, a module per area. They live in the
//! library's own test binary, beside the unit tests: one test binary for the crate, linked
//! once.
mod backup;
mod common;
mod concurrency;
mod embeds;
mod evaluation;
mod feedback;
mod import;
mod kpis;
mod leads;
mod leads_io;
mod moves;
mod peers;
mod people;
mod plans;
mod routine;
mod scope;
mod scores;
mod security;
mod sessions;
mod shape;
mod surreal;
mod value;
