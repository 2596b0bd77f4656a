//! The SurrealDB connection (one code path for `mem://`, `surrealkv://PATH` and `ws://`),
//! the versioned schema migrations run at start-up, and helpers to build bound values.
use chrono::{DateTime, Utc};
use surrealdb::engine::any::Any;
use surrealdb::types::{Array, Datetime, Object, RecordId, SurrealValue, Value};
use surrealdb::Surreal;

pub type Db = Surreal<Any>;

const NAMESPACE: &str = "genjin";
const DATABASE: &str = "workspace";

/// Connects to the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<Db, surrealdb::Error> {
    let db = open(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// The largest answer read from a SurrealDB server over a websocket.
const MAX_ANSWER: usize = 2 << 30;

/// Connects to the database at `url` (signed in as its root user on a server), in Genjin's
/// namespace and database, without touching the schema (a restore fills an empty one).
pub async fn open(url: &str) -> Result<Db, surrealdb::Error> {
    let url = &sized(url);
    if let Some(path) = url.strip_prefix("surrealkv://") {
        let path = path.split_once('?').map_or(path, |(path, _)| path);
        if let Some(parent) = std::path::Path::new(path).parent() {
            let _ = std::fs::create_dir_all(parent);
        }
    }
    let db = if url.starts_with("ws://") || url.starts_with("wss://") {
        // An app server reads whole tables when it starts (a 100k-lead workspace's follow-ups
        // are ~150 MB in one answer): past the client's default 64 MiB limit per message.
        let websocket = surrealdb::opt::WebsocketConfig::default().max_message_size(MAX_ANSWER);
        surrealdb::engine::any::connect((url, surrealdb::opt::Config::new().websocket(websocket)?)).await?
    } else {
        surrealdb::engine::any::connect(url).await?
    };
    if ["ws://", "wss://", "http://", "https://"].iter().any(|p| url.starts_with(p)) {
        let user = std::env::var("GENJIN_DB_USER").unwrap_or_else(|_| "root".into());
        let pass = std::env::var("GENJIN_DB_PASS").unwrap_or_else(|_| "root".into());
        db.signin(surrealdb::opt::auth::Root { username: user, password: pass }).await?;
    }
    db.query(format!(
        "DEFINE NAMESPACE IF NOT EXISTS {NAMESPACE}; USE NS {NAMESPACE}; DEFINE DATABASE IF NOT EXISTS {DATABASE};"
    ))
    .await?
    .check()?;
    db.use_ns(NAMESPACE).use_db(DATABASE).await?;
    Ok(db)
}

/// Closes the embedded databases this process has open (`surrealkv://`), once it has stopped
/// serving: what was written since the engine's last flush is written to its tables, so the
/// next start has no log to replay (up to the memtable's 256 MiB, seconds of a restart and as
/// much memory). Nothing may use the database after it; a server's database (`ws://`) is left
/// as it is. Without it an embedded store is still whole at the next start, from its log.
pub async fn close_embedded() {
    surrealdb_kvs_surrealkv::close_all().await;
}

/// SurrealKV's memory as Genjin sizes it for an embedded workspace, where the URL sets none
/// (`surrealkv://PATH?surrealkv_block_cache_capacity=…` sets it; read by Genjin's copy of the
/// engine, vendor/surrealdb-kvs-surrealkv/GENJIN.md). Left to SurrealDB, the block cache may
/// take half the machine's memory less 1 GiB and the memtable 1 GiB, and reading the whole
/// database at start-up fills the cache: Genjin holds what it serves from in its own views,
/// and the system's page cache still keeps the files' blocks at hand. The memtable holds
/// only what was written since its last flush, and bounds the largest transaction (roughly
/// ten thousand leads with their history in one import; a larger one is refused whole, 422
/// `too_large`), so it keeps SurrealDB's size for a 4–16 GiB machine.
const EMBEDDED_MEMORY: [(&str, u64); 2] =
    [("surrealkv_block_cache_capacity", 64 << 20), ("surrealkv_max_memtable_size", 256 << 20)];

/// An embedded `surrealkv://` URL with Genjin's memory sizes added where it gives none; any
/// other URL as it is.
pub fn sized(url: &str) -> String {
    let Some(rest) = url.strip_prefix("surrealkv://") else {
        return url.to_string();
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut params: Vec<String> = query.split('&').filter(|p| !p.is_empty()).map(str::to_string).collect();
    for (key, value) in EMBEDDED_MEMORY {
        let given = params.iter().any(|p| p.split_once('=').map_or(p.as_str(), |(k, _)| k).eq_ignore_ascii_case(key));
        if !given {
            params.push(format!("{key}={value}"));
        }
    }
    format!("surrealkv://{path}?{}", params.join("&"))
}

/// The URL SurrealDB's export and import are reached at: its HTTP endpoint for a server (the
/// WebSocket protocol carries neither), the database itself when embedded.
pub fn backup_url(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("ws://") {
        format!("http://{rest}")
    } else if let Some(rest) = url.strip_prefix("wss://") {
        format!("https://{rest}")
    } else {
        url.to_string()
    }
}

/// The schema, one migration a version. A migration is never edited once released: a
/// change is a new migration.
pub const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "domain model", include_str!("schema/0001_domain.surql")),
    (2, "browser sessions", include_str!("schema/0002_sessions.surql")),
    (3, "indexes no query reads dropped", include_str!("schema/0003_write_indexes.surql")),
    (4, "cadence tasks named by their kind", include_str!("schema/0004_task_titles.surql")),
    (5, "a real team moves in", include_str!("schema/0005_team_moves_in.surql")),
    (6, "leads marked as different customers", include_str!("schema/0006_distinct_customers.surql")),
    (7, "the daily routine", include_str!("schema/0007_daily_routine.surql")),
    (8, "score review and follow-up plans", include_str!("schema/0008_score_review.surql")),
    (9, "customer value and strategy variants", include_str!("schema/0009_customer_value.surql")),
    (10, "the pipeline widget's embeds", include_str!("schema/0010_embeds.surql")),
    (11, "status changes read from memory", include_str!("schema/0011_moves_in_memory.surql")),
    (12, "several app servers on one database", include_str!("schema/0012_several_app_servers.surql")),
];

async fn migrate(db: &Db) -> Result<(), surrealdb::Error> {
    db.query(
        "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
         DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
         DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
         DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime;",
    )
    .await?
    .check()?;
    let mut res = db.query("SELECT VALUE version FROM migration").await?;
    let applied: Vec<i64> = res.take(0)?;
    for (version, name, sql) in MIGRATIONS {
        if applied.contains(&i64::from(*version)) {
            continue;
        }
        tracing::info!(version, name, "applying migration");
        db.query(format!(
            "BEGIN TRANSACTION;\n{sql}\nCREATE migration SET version = $version, name = $name, applied_at = time::now();\nCOMMIT TRANSACTION;"
        ))
        .bind(("version", i64::from(*version)))
        .bind(("name", name.to_string()))
        .await?
        .check()?;
    }
    Ok(())
}

/// Builds a record's content field by field; `None` values are left out, so optional
/// fields stay NONE as the schema expects.
#[derive(Default, Clone)]
pub struct Doc(Object);

impl Doc {
    pub fn new() -> Doc {
        Doc(Object::new())
    }

    pub fn set(mut self, key: &str, value: impl SurrealValue) -> Doc {
        self.0.insert(key, value);
        self
    }

    pub fn opt<T: SurrealValue>(self, key: &str, value: Option<T>) -> Doc {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    pub fn time(self, key: &str, t: DateTime<Utc>) -> Doc {
        self.set(key, Value::Datetime(Datetime::from(t)))
    }

    pub fn opt_time(self, key: &str, t: Option<DateTime<Utc>>) -> Doc {
        match t {
            Some(t) => self.time(key, t),
            None => self,
        }
    }

    pub fn link(self, key: &str, table: &str, id: &str) -> Doc {
        self.set(key, RecordId::new(table, id))
    }

    pub fn opt_link(self, key: &str, table: &str, id: Option<&str>) -> Doc {
        match id {
            Some(id) => self.link(key, table, id),
            None => self,
        }
    }

    pub fn strings(self, key: &str, items: &[String]) -> Doc {
        self.set(key, Value::Array(items.iter().map(|s| Value::String(s.clone())).collect::<Array>()))
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// A list of documents as one bound value.
pub fn docs(items: impl IntoIterator<Item = Doc>) -> Value {
    Value::Array(items.into_iter().map(Doc::into_value).collect::<Array>())
}

pub fn record(table: &str, id: &str) -> RecordId {
    RecordId::new(table, id)
}

#[cfg(test)]
mod tests {
    use super::sized;

    #[test]
    fn an_embedded_workspace_gets_genjins_memory_sizes_unless_its_url_sets_them() {
        assert_eq!(
            sized("surrealkv://data/genjin.db"),
            "surrealkv://data/genjin.db?surrealkv_block_cache_capacity=67108864&surrealkv_max_memtable_size=268435456"
        );
        assert_eq!(
            sized("surrealkv:///tmp/g.db?sync=every&SURREALKV_BLOCK_CACHE_CAPACITY=1024"),
            "surrealkv:///tmp/g.db?sync=every&SURREALKV_BLOCK_CACHE_CAPACITY=1024&surrealkv_max_memtable_size=268435456"
        );
        assert_eq!(sized("ws://127.0.0.1:8000"), "ws://127.0.0.1:8000");
        assert_eq!(sized("mem://"), "mem://");
    }
}
