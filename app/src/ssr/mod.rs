//! Server-only code (feature `ssr`), in layers that depend one way:
//! the doors (REST handlers in `server/`, the server functions in `server_fns/`) →
//! [`service`] (every write use case: rules, one transaction, one versioned change) →
//! [`repo`] (data access) → the domain types. Beside them: the acting user and its scope
//! rules, secrets and cookies, the web's defences, the database connection, and the shared
//! state with the in-memory views.
pub mod actor;
pub mod admin;
pub mod auth;
pub mod cookies;
pub mod db;
pub mod defence;
pub mod error;
pub mod evaluation;
pub mod feedback_page;
pub mod index;
pub mod peers;
pub mod plan_page;
pub mod repo;
pub mod score_review;
pub mod secrets;
pub mod service;
pub mod sheet;
pub mod state;
pub mod today;
