//! Rebuilds the analytic view and the lead index from the database (at start-up).
use super::error::{RepoError, RepoResult};
use crate::domain::enums::*;
use crate::domain::lead::Lead;
use crate::kpi::{AnalyticView, InteractionFacts, LeadFacts};
use crate::ssr::db::Db;
use crate::ssr::index::LeadIndex;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

// The large tables are read as arrays of values (`SELECT VALUE [a, b, …]`), each row into
// its struct field by field in order: SurrealDB makes an array in about half the time of an
// object with the fields' names (975,483 follow-ups: 3.3 s rather than 5.5 s, and a quarter
// of the time to decode).

/// A status change, read in this order by [`Part::sql`].
#[derive(Deserialize)]
struct StageRow {
    lead: String,
    at: DateTime<Utc>,
    from_status: Option<Status>,
    to_status: Status,
}

/// Reads every lead and its history into a fresh view and board index, in parts
/// ([`parts`]) followed one after another, so that only one part's rows are held as database
/// values at once (a 100,000-lead workspace has about a million follow-ups). The parts are
/// read in one read transaction: the views hold the database as it stood at one moment, so a
/// lead's version says which of its changes they hold (`AppState::apply` and `peers`).
pub async fn load(db: &Db) -> RepoResult<(AnalyticView, LeadIndex)> {
    let tx = db.clone().begin().await?;
    let mut loading = Loading::new();
    let mut failed = None;
    let parts = match parts(&tx).await {
        Ok(parts) => parts,
        Err(e) => {
            let _ = tx.cancel().await;
            return Err(e);
        }
    };
    for part in parts {
        match part.read(&tx).await {
            Ok(rows) => loading.follow(rows),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    // Read only: nothing to keep.
    if let Err(e) = tx.cancel().await {
        tracing::debug!("ending the views' read transaction: {e}");
    }
    give_back_freed_memory();
    match failed {
        Some(e) => Err(e),
        None => Ok(loading.done()),
    }
}

/// [`load`] for an app server alone on its database (embedded storage, which one process
/// opens at a time) before it serves: nothing writes meanwhile, so each part is read in a
/// transaction of its own, [`READERS`] at once (SurrealDB answers a query on one core), and
/// followed here as the parts arrive, in order. A restart then takes about as long as the
/// reads' and the following's work shared between the cores, rather than their sum.
pub async fn load_alone(db: &Db) -> RepoResult<(AnalyticView, LeadIndex)> {
    let parts: Arc<Vec<Part>> = Arc::new(parts(db).await?);
    let mut arrivals = Vec::with_capacity(parts.len());
    let mut senders = Vec::with_capacity(parts.len());
    for _ in 0..parts.len() {
        let (send, arrive) = tokio::sync::oneshot::channel();
        senders.push(Some(send));
        arrivals.push(arrive);
    }
    let senders = Arc::new(std::sync::Mutex::new(senders));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let ahead = Arc::new(tokio::sync::Semaphore::new(AHEAD));
    let readers: Vec<Reader> = (0..READERS)
        .map(|_| {
            let (db, parts, senders, next, ahead) =
                (db.clone(), Arc::clone(&parts), Arc::clone(&senders), Arc::clone(&next), Arc::clone(&ahead));
            Reader(tokio::spawn(async move {
                loop {
                    // A part is taken only with room for it, and the parts are taken in order:
                    // the part to be followed next is always read, being read, or has room.
                    let Ok(room) = Arc::clone(&ahead).acquire_owned().await else { return };
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(part) = parts.get(i) else { return };
                    let read = part.read(&db).await;
                    let failed = read.is_err();
                    let send = senders.lock().ok().and_then(|mut s| s[i].take());
                    if let Some(send) = send {
                        let _ = send.send(read.map(|rows| (rows, room)));
                    }
                    if failed {
                        return;
                    }
                }
            }))
        })
        .collect();
    let mut loading = Loading::new();
    for arrive in arrivals {
        let (rows, room) =
            arrive.await.map_err(|_| RepoError::Decode("a reader of the views' tables stopped".into()))??;
        loading.follow(rows);
        drop(room);
    }
    drop(readers);
    give_back_freed_memory();
    Ok(loading.done())
}

/// Parts read at once by [`load_alone`]: as many as a small server has cores, the following
/// taking its turns between them.
const READERS: usize = 2;

/// Parts read but not yet followed, at most (each up to a few tens of thousands of rows):
/// what bounds the load's memory when the reads outrun the following.
const AHEAD: usize = 8;

/// A reader of [`load_alone`]'s parts, stopped if the load ends without it (a read failed).
struct Reader(tokio::task::JoinHandle<()>);

impl Drop for Reader {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A table the views are made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    /// Each rep's key and name: the owners' names on the leads.
    Reps,
    Leads,
    Stages,
    Interactions,
    Tasks,
    Feedback,
}

/// A part of a table: the records whose key is in `from..to` (none: from the first, to the
/// last).
struct Part {
    table: Table,
    from: Option<String>,
    to: Option<String>,
}

/// The parts the views are read in, in the order they are followed: the reps, the leads,
/// their status changes, follow-ups, tasks, feedback.
async fn parts(db: &impl Ask) -> RepoResult<Vec<Part>> {
    let mut parts = vec![Part { table: Table::Reps, from: None, to: None }];
    for (table, name) in [
        (Table::Leads, "lead"),
        (Table::Stages, "stage_change"),
        (Table::Interactions, "followed_up"),
        (Table::Tasks, "task"),
    ] {
        parts.extend(key_ranges(db, name).await?.into_iter().map(|(from, to)| Part { table, from, to }));
    }
    parts.push(Part { table: Table::Feedback, from: None, to: None });
    Ok(parts)
}

/// Characters a split point between parts is made of, in the order SurrealDB sorts keys.
const KEY_CHARS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Parts a large table is split in, at least, where its keys allow.
const SPLIT: usize = 16;

/// The key ranges a large table is read in: up to the first split point, between each two,
/// from the last. Every key falls in exactly one range whatever its form (the first has no
/// start, the last no end), so the table is read whole however its records are named; the
/// split points only make the parts even. They are taken between the table's first and last
/// keys (two reads of one record each): past the prefix the two share, one character more
/// at a time until there are [`SPLIT`] of them — the random ids of follow-ups, status changes
/// and tasks split on their first character, the leads' codes (`LX2026D000001` to
/// `LX2026D100000`) on the digits after `LX2026D0`. (Pages of a set size, `table:⟨k⟩>.. LIMIT
/// n`, are no way to read a table on SurrealDB 3.3.5: the scan runs to the range's end before
/// the limit, so each page took longer than the last.)
async fn key_ranges(db: &impl Ask, table: &str) -> RepoResult<Vec<(Option<String>, Option<String>)>> {
    let mut res = db
        .ask(format!(
            "SELECT VALUE record::id(id) FROM {table} LIMIT 1;
             SELECT VALUE record::id(id) FROM {table} ORDER BY id DESC LIMIT 1;"
        ))
        .await?;
    let first: Vec<surrealdb::types::Value> = res.take(0)?;
    let last: Vec<surrealdb::types::Value> = res.take(1)?;
    let points = match (first.first(), last.first()) {
        (Some(surrealdb::types::Value::String(first)), Some(surrealdb::types::Value::String(last))) => {
            split_points(first, last)
        }
        // Keys of other forms at either end (or none): the ids' first characters.
        _ => KEY_CHARS.chars().map(String::from).collect(),
    };
    let mut ranges = Vec::with_capacity(points.len() + 1);
    let mut from = None;
    for to in points {
        ranges.push((from, Some(to.clone())));
        from = Some(to);
    }
    ranges.push((from, None));
    Ok(ranges)
}

/// Split points between `first` and `last`, in order (see [`key_ranges`]).
fn split_points(first: &str, last: &str) -> Vec<String> {
    // The shared prefix, as far as it can be written in a query as it is.
    let shared: String = first
        .chars()
        .zip(last.chars())
        .take_while(|(a, b)| a == b && (a.is_ascii_alphanumeric() || *a == '_' || *a == '-'))
        .map(|(a, _)| a)
        .collect();
    let mut points = vec![shared];
    for _ in 0..3 {
        let next: Vec<String> = points
            .iter()
            .flat_map(|p| KEY_CHARS.chars().map(move |c| format!("{p}{c}")))
            .filter(|p| (p.as_str() > first || first.starts_with(p.as_str())) && p.as_str() <= last)
            .collect();
        if next.len() <= points.len() {
            break;
        }
        points = next;
        if points.len() >= SPLIT {
            break;
        }
    }
    points.retain(|p| !p.is_empty());
    points
}

/// The records of `table` with a key in `from..to`: `table`, or `table:⟨from⟩..⟨to⟩`.
fn target(table: &str, from: Option<&str>, to: Option<&str>) -> String {
    let bound = |k: Option<&str>| k.map(|k| format!("⟨{k}⟩")).unwrap_or_default();
    if from.is_none() && to.is_none() {
        table.to_string()
    } else {
        format!("{table}:{}..{}", bound(from), bound(to))
    }
}

/// What the views' load reads a large table as (`FROM` each of these): together, every
/// record of it once.
pub async fn ranges(db: &Db, table: &str) -> RepoResult<Vec<String>> {
    let ranges = key_ranges(db, table).await?;
    Ok(ranges.iter().map(|(from, to)| target(table, from.as_deref(), to.as_deref())).collect())
}

impl Part {
    fn target(&self, table: &str) -> String {
        target(table, self.from.as_deref(), self.to.as_deref())
    }

    fn sql(&self) -> String {
        match self.table {
            Table::Reps => "SELECT VALUE [record::id(id), name] FROM rep".into(),
            Table::Leads => format!(
                "SELECT {} FROM {} WHERE merged_into = NONE",
                super::leads::LEAD_FIELDS_UNLINKED,
                self.target("lead")
            ),
            Table::Stages => format!(
                "SELECT VALUE [record::id(lead), at, from_status, to_status] FROM {}",
                self.target("stage_change")
            ),
            Table::Interactions => format!(
                "SELECT VALUE [record::id(out), occurred_at, logged_at, channel, direction, responded,
                    satisfaction, stage_before, stage_after] FROM {}",
                self.target("followed_up")
            ),
            Table::Tasks => format!("SELECT VALUE {} FROM {}", super::tasks::VALUES, self.target("task")),
            Table::Feedback => format!("SELECT {} FROM {}", super::feedback::FIELDS, self.target("feedback")),
        }
    }

    /// Reads its rows, timed.
    async fn read(&self, db: &impl Ask) -> RepoResult<Rows> {
        let asked = std::time::Instant::now();
        let mut res = db.ask(self.sql()).await?;
        let answered = asked.elapsed();
        let values: Vec<surrealdb::types::Value> = res.take(0)?;
        let rows = match self.table {
            Table::Reps => Rows::Reps(decode(values)?),
            Table::Leads => Rows::Leads(decode(values)?),
            Table::Stages => Rows::Stages(decode(values)?),
            Table::Interactions => Rows::Interactions(decode(values)?),
            Table::Tasks => Rows::Tasks(decode(values)?),
            Table::Feedback => Rows::Feedback(decode(values)?),
        };
        tracing::debug!(table = ?self.table, from = ?self.from, rows = rows.len(), query = ?answered,
            decoded = ?asked.elapsed() - answered, "view read a part");
        Ok(rows)
    }
}

/// Rows as the database answers them, straight into their structs (SurrealDB's values are a
/// serde format of their own): by way of JSON, a million follow-ups were built twice.
fn decode<T: serde::de::DeserializeOwned>(values: Vec<surrealdb::types::Value>) -> RepoResult<Vec<T>> {
    values
        .into_iter()
        .map(|mut v| {
            plain(&mut v);
            T::deserialize(v).map_err(|e| RepoError::Decode(e.to_string()))
        })
        .collect()
}

/// Gives a value's times and nulls the form the rows read them in, as the JSON the other
/// reads go through has them: a time as an RFC 3339 string (SurrealDB's values hand serde a
/// time only as such), a null as nothing.
fn plain(v: &mut surrealdb::types::Value) {
    use surrealdb::types::Value;
    match v {
        Value::Datetime(at) => *v = Value::String(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        Value::Null => *v = Value::None,
        Value::Array(items) => items.iter_mut().for_each(plain),
        Value::Object(fields) => fields.values_mut().for_each(plain),
        _ => {}
    }
}

/// A part's rows.
enum Rows {
    Reps(Vec<(String, String)>),
    Leads(Vec<Lead>),
    Stages(Vec<StageRow>),
    /// Read in [`InteractionFacts`]' field order by [`Part::sql`].
    Interactions(Vec<InteractionFacts>),
    Tasks(Vec<super::tasks::TaskRow>),
    Feedback(Vec<crate::domain::feedback::Feedback>),
}

impl Rows {
    fn len(&self) -> usize {
        match self {
            Rows::Reps(r) => r.len(),
            Rows::Leads(r) => r.len(),
            Rows::Stages(r) => r.len(),
            Rows::Interactions(r) => r.len(),
            Rows::Tasks(r) => r.len(),
            Rows::Feedback(r) => r.len(),
        }
    }
}

/// Hands the heap the load freed back to the system where glibc's allocator is in use (the
/// tests; the app server uses mimalloc, which does so by itself): each part's rows are read
/// whole and freed once followed, and glibc keeps freed memory in its arenas for reuse, so
/// without this the process would go on holding the load's peak.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only returns free pages of the allocator's own arenas to the
        // system; it touches no memory in use and is safe to call from any thread.
        let trimmed = unsafe { libc::malloc_trim(0) };
        tracing::debug!(trimmed, "freed heap handed back after the views' load");
    }
}

type Tx = surrealdb::method::Transaction<surrealdb::engine::any::Any>;

/// What a table is read through: the database, or a transaction on it.
trait Ask: Sync {
    fn ask(&self, sql: String) -> surrealdb::method::Query<'_, surrealdb::engine::any::Any>;
}

impl Ask for Db {
    fn ask(&self, sql: String) -> surrealdb::method::Query<'_, surrealdb::engine::any::Any> {
        self.query(sql)
    }
}

impl Ask for Tx {
    fn ask(&self, sql: String) -> surrealdb::method::Query<'_, surrealdb::engine::any::Any> {
        self.query(sql)
    }
}

/// The views as the parts are followed, in [`parts`]' order.
struct Loading {
    view: AnalyticView,
    board: LeadIndex,
    /// Each rep's key and name.
    names: HashMap<String, String>,
    /// The leads whose open tasks changed: their day is put together once all are in.
    tasked: HashSet<String>,
    /// The table being followed, its rows so far and since when: a restart's time is mostly
    /// here.
    table: Option<(Table, usize, std::time::Instant)>,
    started: std::time::Instant,
}

impl Loading {
    fn new() -> Self {
        Loading {
            view: AnalyticView::new(),
            board: LeadIndex::default(),
            names: HashMap::new(),
            tasked: HashSet::new(),
            table: None,
            started: std::time::Instant::now(),
        }
    }

    /// Counts a part's rows, and logs a table once the next one starts.
    fn lap(&mut self, next: Option<Table>, rows: usize) {
        match &mut self.table {
            Some((table, count, _)) if Some(*table) == next => *count += rows,
            _ => {
                if let Some((table, count, since)) = self.table.take() {
                    tracing::info!(table = ?table, rows = count, elapsed = ?since.elapsed(), "view loaded a table");
                }
                self.table = next.map(|t| (t, rows, std::time::Instant::now()));
            }
        }
    }

    fn follow(&mut self, rows: Rows) {
        let count = rows.len();
        match rows {
            Rows::Reps(reps) => {
                self.lap(Some(Table::Reps), count);
                self.names.extend(reps);
            }
            Rows::Leads(leads) => {
                self.lap(Some(Table::Leads), count);
                for mut lead in leads {
                    lead.owner_name = lead.owner.as_ref().and_then(|owner| self.names.get(owner)).cloned();
                    self.view.upsert_lead(LeadFacts::of_lead(&lead));
                    self.board.upsert_lead(&lead);
                }
            }
            Rows::Stages(stages) => {
                self.lap(Some(Table::Stages), count);
                for s in stages {
                    self.view.add_stage_change(&s.lead, s.to_status);
                    self.board.record_move(&s.lead, s.from_status, s.to_status, s.at);
                }
            }
            Rows::Interactions(interactions) => {
                self.lap(Some(Table::Interactions), count);
                for facts in interactions {
                    self.board.touch(&facts);
                    self.view.add_interaction(&facts);
                }
            }
            Rows::Tasks(tasks) => {
                self.lap(Some(Table::Tasks), count);
                let tasks: Vec<_> = tasks.into_iter().map(|row| row.into_facts()).collect();
                self.board.place_tasks(&tasks, &mut self.tasked);
                for task in tasks {
                    self.view.upsert_task(task);
                }
            }
            Rows::Feedback(feedback) => {
                // Feedback whole: the view counts its times, the index answers the feedback
                // pages.
                self.lap(Some(Table::Feedback), count);
                for f in feedback {
                    self.view.upsert_feedback(crate::ssr::service::feedback::facts_of(&f));
                    self.board.put_feedback(f);
                }
            }
        }
    }

    fn done(mut self) -> (AnalyticView, LeadIndex) {
        self.board.index_days(std::mem::take(&mut self.tasked));
        self.lap(None, 0);
        tracing::info!(elapsed = ?self.started.elapsed(), "view and lead index loaded");
        (self.view, self.board)
    }
}

#[cfg(test)]
mod tests {
    use super::split_points;

    #[test]
    fn a_tables_split_points_follow_its_keys() {
        // Random ids: their first character.
        let ids = split_points("0000i42j4g8y3pht8t0x", "zzzzyb9gabgw5vlmgh74");
        assert_eq!(ids.first().map(String::as_str), Some("0"));
        assert_eq!(ids.last().map(String::as_str), Some("z"));
        assert_eq!(ids.len(), 62);
        // Lead codes: past their shared prefix, down to the digits that vary.
        let codes = split_points("LX2026D000001", "LX2026D100000");
        assert_eq!(&codes[..3], ["LX2026D00", "LX2026D01", "LX2026D02"]);
        assert!(codes.contains(&"LX2026D09".to_string()) && codes.contains(&"LX2026D10".to_string()));
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "in order: {codes:?}");
        // One key, or a prefix no query could hold as it is: no split, or a coarser one.
        assert!(split_points("LX1", "LX1").len() <= 1);
        assert!(split_points("a⟩b1", "a⟩b9").iter().all(|p| !p.contains('⟩')));
    }
}
