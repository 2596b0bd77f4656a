//! The spreadsheets a manager or admin is importing, kept on the server between the upload,
//! the preview (checked again each time the columns are corrected) and the import running in
//! the background. An upload stays 30 minutes and only its uploader may use it; at most 20
//! are kept at once (the oldest leave first). An import keeps its progress and, once
//! finished, its report, under the upload's id.
use crate::domain::sheet_report::ImportReport;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long an upload (and a finished import's report) is kept.
pub const KEEP: Duration = Duration::from_secs(30 * 60);
/// The most uploads (and imports) kept at once.
pub const MAX_KEPT: usize = 20;

/// An uploaded spreadsheet waiting to be imported.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: Arc<Vec<u8>>,
    pub content_type: Option<String>,
    pub file_name: String,
    /// The uploader's user key: nobody else sees the file.
    pub user: String,
    pub created: Instant,
    /// The file's column headers and data rows, once a preview has read it.
    pub headers: Option<Vec<String>>,
    pub rows: Option<usize>,
}

/// How an import ended: its report, or why it stopped (in the importer's language).
#[derive(Debug, Clone)]
pub enum Outcome {
    Done(ImportReport),
    Failed(String),
}

/// An import running in the background, or finished.
#[derive(Debug)]
pub struct Job {
    pub user: String,
    pub file_name: String,
    pub created: Instant,
    /// The file's data rows (0 when not known).
    pub rows: usize,
    /// Rows handled so far.
    pub progress: Arc<AtomicUsize>,
    pub outcome: Option<Outcome>,
}

/// What the progress page shows of an import.
#[derive(Debug, Clone)]
pub struct JobState {
    pub file_name: String,
    pub rows: usize,
    pub done: usize,
    pub outcome: Option<Outcome>,
}

static UPLOADS: LazyLock<Mutex<HashMap<String, Upload>>> = LazyLock::new(Default::default);
static JOBS: LazyLock<Mutex<HashMap<String, Job>>> = LazyLock::new(Default::default);

/// A store's map; a panic elsewhere while it was held leaves the map usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A new random id for an upload (48 hexadecimal digits).
fn new_id() -> String {
    crate::ssr::secrets::new_token().trim_start_matches("gj_").to_string()
}

/// Inserts `value`, first dropping the expired entries and, beyond [`MAX_KEPT`], the oldest
/// ones `removable` allows (a running import is never dropped).
fn insert_bounded<V>(
    map: &mut HashMap<String, V>,
    id: String,
    value: V,
    now: Instant,
    created: fn(&V) -> Instant,
    removable: fn(&V) -> bool,
) {
    map.retain(|_, v| !removable(v) || now.saturating_duration_since(created(v)) < KEEP);
    while map.len() >= MAX_KEPT {
        let oldest = map.iter().filter(|(_, v)| removable(v)).min_by_key(|(_, v)| created(v)).map(|(k, _)| k.clone());
        match oldest {
            Some(k) => {
                map.remove(&k);
            }
            None => break,
        }
    }
    map.insert(id, value);
}

fn fresh(created: Instant) -> bool {
    Instant::now().saturating_duration_since(created) < KEEP
}

/// Keeps an upload and answers its new id.
pub fn keep_upload(upload: Upload) -> String {
    let id = new_id();
    let mut uploads = lock(&UPLOADS);
    insert_bounded(&mut *uploads, id.clone(), upload, Instant::now(), |u| u.created, |_| true);
    id
}

/// The upload `id` if `user` made it and it has not expired.
pub fn upload(id: &str, user: &str) -> Option<Upload> {
    lock(&UPLOADS).get(id).filter(|u| u.user == user && fresh(u.created)).cloned()
}

/// Remembers the headers and row count a preview read from the upload.
pub fn remember_shape(id: &str, headers: Vec<String>, rows: usize) {
    if let Some(u) = lock(&UPLOADS).get_mut(id) {
        u.headers = Some(headers);
        u.rows = Some(rows);
    }
}

/// Takes the upload `id` out of the store to import it (so it is imported once).
pub fn take_upload(id: &str, user: &str) -> Option<Upload> {
    let mut uploads = lock(&UPLOADS);
    if uploads.get(id).is_some_and(|u| u.user == user && fresh(u.created)) {
        uploads.remove(id)
    } else {
        None
    }
}

/// Records a started import under its upload's id and answers its progress counter; `None`
/// when an import of that upload was started already.
pub fn start_job(id: &str, user: &str, file_name: &str, rows: usize) -> Option<Arc<AtomicUsize>> {
    let mut jobs = lock(&JOBS);
    if jobs.contains_key(id) {
        return None;
    }
    let progress = Arc::new(AtomicUsize::new(0));
    let job = Job {
        user: user.to_string(),
        file_name: file_name.to_string(),
        created: Instant::now(),
        rows,
        progress: progress.clone(),
        outcome: None,
    };
    insert_bounded(&mut *jobs, id.to_string(), job, Instant::now(), |j| j.created, |j| j.outcome.is_some());
    Some(progress)
}

/// Records how the import `id` ended.
pub fn finish_job(id: &str, outcome: Outcome) {
    if let Some(job) = lock(&JOBS).get_mut(id) {
        job.created = Instant::now();
        job.outcome = Some(outcome);
    }
}

/// The import `id` as its importer `user` sees it.
pub fn job(id: &str, user: &str) -> Option<JobState> {
    let jobs = lock(&JOBS);
    let job = jobs.get(id).filter(|j| j.user == user && (j.outcome.is_none() || fresh(j.created)))?;
    Some(JobState {
        file_name: job.file_name.clone(),
        rows: job.rows,
        done: job.progress.load(Ordering::Relaxed),
        outcome: job.outcome.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload_for(user: &str) -> Upload {
        Upload {
            bytes: Arc::new(b"a,b\n1,2\n".to_vec()),
            content_type: Some("text/csv".into()),
            file_name: "leads.csv".into(),
            user: user.into(),
            created: Instant::now(),
            headers: None,
            rows: None,
        }
    }

    #[test]
    fn an_upload_is_only_its_uploaders_and_is_imported_once() {
        let id = keep_upload(upload_for("u:li"));
        assert_eq!(id.len(), 48);
        assert!(upload(&id, "u:wang").is_none());
        assert!(take_upload(&id, "u:wang").is_none());
        remember_shape(&id, vec!["a".into(), "b".into()], 1);
        let kept = upload(&id, "u:li").expect("kept for its uploader");
        assert_eq!(kept.headers.as_deref(), Some(&["a".to_string(), "b".to_string()][..]));
        assert!(take_upload(&id, "u:li").is_some());
        assert!(upload(&id, "u:li").is_none());
    }

    #[test]
    fn expired_entries_leave_and_no_more_than_twenty_are_kept() {
        let now = Instant::now();
        let mut map: HashMap<String, Instant> = HashMap::new();
        for i in 0..25 {
            insert_bounded(&mut map, format!("k{i}"), now, now, |c| *c, |_| true);
        }
        assert_eq!(map.len(), MAX_KEPT);
        let later = now + KEEP + Duration::from_secs(1);
        insert_bounded(&mut map, "new".into(), later, later, |c| *c, |_| true);
        assert!(map.len() == 1 && map.contains_key("new"));
    }

    #[test]
    fn a_running_import_is_never_swept_away() {
        let now = Instant::now();
        let mut map: HashMap<String, (Instant, bool)> = HashMap::new();
        map.insert("running".into(), (now, false));
        let later = now + KEEP * 2;
        for i in 0..MAX_KEPT + 3 {
            insert_bounded(&mut map, format!("done{i}"), (later, true), later, |v| v.0, |v| v.1);
        }
        assert!(map.contains_key("running"));
        assert_eq!(map.len(), MAX_KEPT);
    }

    #[test]
    fn an_import_starts_once_and_reports_its_outcome_to_its_importer() {
        let id = new_id();
        let progress = start_job(&id, "u:li", "leads.xlsx", 10).expect("started");
        assert!(start_job(&id, "u:li", "leads.xlsx", 10).is_none());
        progress.store(4, Ordering::Relaxed);
        let running = job(&id, "u:li").unwrap();
        assert_eq!((running.done, running.rows), (4, 10));
        assert!(running.outcome.is_none());
        assert!(job(&id, "u:wang").is_none());
        finish_job(&id, Outcome::Failed("stopped".into()));
        assert!(matches!(job(&id, "u:li").unwrap().outcome, Some(Outcome::Failed(m)) if m == "stopped"));
    }
}
