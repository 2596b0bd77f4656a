//! Configuration from flags and environment (API.md "Starting the server").
use clap::{Parser, Subcommand};

#[derive(Debug, Clone, Parser)]
#[command(name = "genjin", about = "Genjin 跟进 — leads, follow-ups, pipeline and KPIs for sales teams")]
pub struct Config {
    /// Database: surrealkv://PATH (embedded, persistent), mem:// (embedded, in memory) or
    /// ws://HOST:PORT / wss://… (a SurrealDB server or cluster).
    #[arg(long, env = "GENJIN_DB", default_value = "surrealkv://data/genjin.db", global = true)]
    pub db: String,

    /// How this app server follows the changes other app servers make on the same database:
    /// `live` (LIVE SELECT: one SurrealDB server), `changefeed` (the change feed: a
    /// TiKV-backed SurrealDB cluster) or `off`. Default: `live` on ws://, wss://, http:// and
    /// https:// databases, `off` on embedded ones.
    #[arg(long, env = "GENJIN_FOLLOW")]
    pub follow: Option<app::ssr::peers::Follow>,

    /// Listen address (default: LEPTOS_SITE_ADDR, else 127.0.0.1:3000).
    #[arg(long, global = true)]
    pub addr: Option<String>,

    /// Load the demo workspace into an empty database.
    #[arg(long, env = "GENJIN_DEMO")]
    pub demo: bool,

    /// Leads in the demo workspace.
    #[arg(long, default_value_t = 3000)]
    pub demo_leads: usize,

    /// Seed of the demo generator.
    #[arg(long, default_value_t = 2024)]
    pub demo_seed: u64,

    /// On an empty database, create the admin account with this API token.
    #[arg(long, env = "GENJIN_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Give the admin account this password for signing in to the app, when it has none yet.
    #[arg(long, env = "GENJIN_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Write the whole workspace (schema and records) to FILE with SurrealDB's export, from
    /// --db (embedded, or a SurrealDB server: it is read over HTTP). Safe while Genjin runs on
    /// a server; stop Genjin first on embedded storage, which one process holds.
    Backup {
        /// Where the export goes (SurrealQL).
        file: std::path::PathBuf,
    },
    /// Read a backup into --db, which must hold no workspace yet; then start Genjin on it.
    Restore {
        /// A file `genjin backup` wrote.
        file: std::path::PathBuf,
    },
    /// Print a generated history bundle (import format) to stdout, for benchmarks and trials.
    Demo {
        /// How many leads.
        #[arg(long, default_value_t = 3000)]
        leads: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 2024)]
        seed: u64,
    },
}
