//! Configuration from flags and environment (API.md "Starting the server").
use clap::{Parser, Subcommand};

#[derive(Debug, Clone, Parser)]
#[command(name = "genjin", about = "Genjin 跟进 — leads, follow-ups, pipeline and KPIs for sales teams")]
pub struct Config {
    /// Database: surrealkv://PATH (embedded, persistent), mem:// (embedded, in memory) or
    /// ws://HOST:PORT / wss://… (a SurrealDB server or cluster).
    #[arg(long, env = "GENJIN_DB", default_value = "surrealkv://data/genjin.db", global = true)]
    pub db: String,

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
