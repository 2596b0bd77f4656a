//! Server-only code (feature `ssr`): the SurrealDB connection and migrations, the acting
//! user, the repository functions every read and write goes through, and the shared state
//! the REST API and the server functions of the pages both use.
pub mod auth;
pub mod db;
pub mod error;
pub mod repo;
pub mod state;
