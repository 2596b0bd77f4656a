//! The `/api/v1` contract of API.md and the browser's doors onto the server, driven through the
//! router over a fresh embedded database per test: one test binary, a module per area.
mod common;
mod concurrency;
mod import;
mod kpis;
mod leads;
mod moves;
mod scope;
mod security;
mod sessions;
mod shape;
