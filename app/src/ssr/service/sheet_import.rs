//! Importing leads from a spreadsheet (PRODUCT.md §12 "Spreadsheets in"): a CSV (UTF-8 or
//! GB18030) or xlsx file whose columns are recognised (and may be corrected), checked row by
//! row with every problem named by row and column; on commit, every valid row is written
//! whole — scored, graded, assigned by the rules unless 负责人 names a rep, its first task
//! due within the grade's SLA — and none of a failed row; a row whose 线索编号 exists
//! updates that lead instead of duplicating it.
use crate::assignment_rules::LeadTraits;
use crate::domain::commands::{LeadPatch, NewLead};
use crate::domain::duplicates::DupKeys;
use crate::domain::enums::{Role, Status, TaskKind};
use crate::domain::lead::LeadProfile;
use crate::domain::sheet_report::{ColumnMapping, ImportReport, RowDuplicates, RowProblem};
use crate::domain::users::valid_key;
use crate::domain::validate::ProblemCode;
use crate::i18n::Lang;
use crate::kpi::TaskFacts;
use crate::scoring;
use crate::ssr::actor::Actor;
use crate::ssr::db::{record, Doc};
use crate::ssr::error::{ApiError, ApiResult};
use crate::ssr::repo::import::lead_doc;
use crate::ssr::repo::leads::random_id;
use crate::ssr::repo::sheet_import::{self as repo, NewRow};
use crate::ssr::sheet::columns::{guess_all, Column};
use crate::ssr::sheet::read::read_table;
use crate::ssr::sheet::row::read_row;
use crate::ssr::state::AppState;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The largest spreadsheet body taken (API.md: 20 MB).
pub const MAX_SHEET_BYTES: usize = 20 * 1024 * 1024;
/// New leads written per transaction.
const BATCH: usize = 500;

/// An import request: the file, corrections to the column mapping (header → field key, or
/// none to ignore the column), and whether to write.
pub struct SheetImport {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub columns: HashMap<String, Option<String>>,
    pub commit: bool,
    pub lang: Lang,
}

/// A valid row and what it will do.
enum Plan {
    Create {
        row: usize,
        code: Option<String>,
        profile: Box<LeadProfile>,
        owner: Option<(String, Option<String>)>,
        created_at: Option<DateTime<Utc>>,
    },
    Update {
        row: usize,
        code: String,
        version: u64,
        fields: serde_json::Map<String, Value>,
    },
}

fn problem(row: usize, column: &str, code: ProblemCode, message: impl Into<String>) -> RowProblem {
    RowProblem { row, column: column.to_string(), code, message: message.into() }
}

/// Checks a spreadsheet and, with `commit`, imports its valid rows. `progress` counts the
/// rows handled so far (for the page's progress bar).
pub async fn import(
    state: &AppState,
    actor: &Actor,
    req: SheetImport,
    progress: Option<&AtomicUsize>,
) -> ApiResult<ImportReport> {
    if actor.role == Role::Rep {
        return Err(ApiError::Forbidden("only managers and admins import spreadsheets".into()));
    }
    let SheetImport { bytes, content_type, columns, commit, lang } = req;
    let table = tokio::task::spawn_blocking(move || read_table(&bytes, content_type.as_deref()))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::invalid("file", ProblemCode::Malformed, e.to_string()))?;
    let mut mapping = guess_all(&table.headers);
    let mut mapping_problems = Vec::new();
    for (header, field) in &columns {
        let Some(i) = table.headers.iter().position(|h| h == header) else {
            mapping_problems.push(crate::domain::validate::Problem::new(
                format!("columns.{header}"),
                ProblemCode::UnknownRecord,
                "the file has no such column",
            ));
            continue;
        };
        mapping[i] = match field.as_deref().filter(|f| !f.is_empty()) {
            None => None,
            Some(key) => match Column::ALL.iter().find(|c| c.key() == key) {
                Some(c) => Some(*c),
                None => {
                    mapping_problems.push(crate::domain::validate::Problem::new(
                        format!("columns.{header}"),
                        ProblemCode::UnknownValue,
                        format!("`{key}` is not a lead field"),
                    ));
                    None
                }
            },
        };
    }
    if !mapping_problems.is_empty() {
        return Err(ApiError::Invalid(mapping_problems));
    }
    let mut report = ImportReport {
        rows: table.rows.len(),
        columns: table
            .headers
            .iter()
            .zip(&mapping)
            .map(|(h, m)| ColumnMapping {
                header: h.clone(),
                field: m.map(|c| c.key().to_string()),
                label: m.map(|c| c.label(lang).to_string()),
            })
            .collect(),
        ..Default::default()
    };
    let header_of = |c: Column| -> String {
        mapping
            .iter()
            .position(|m| *m == Some(c))
            .map(|i| table.headers[i].clone())
            .unwrap_or_else(|| c.label(lang).to_string())
    };
    let settings = state.settings.read().await.clone();
    let tz = settings.tz();
    let today = Utc::now().with_timezone(&tz).date_naive();
    // Reps by key and by name, among those the importer may hand leads to.
    let people = crate::ssr::repo::people::users(&state.db).await?;
    let mut rep_by: HashMap<String, (String, Option<String>)> = HashMap::new();
    for u in people.iter().filter(|u| u.active && u.seniority.is_some()) {
        if actor.can_edit(Some(&u.key), u.team.as_deref()) {
            rep_by.insert(u.key.clone(), (u.key.clone(), u.team.clone()));
            rep_by.entry(u.name.clone()).or_insert((u.key.clone(), u.team.clone()));
        }
    }
    let mut plans = Vec::new();
    let mut codes_seen = HashSet::new();
    {
        let index = state.index.read().await;
        for row in &table.rows {
            let r = match read_row(row, &table.headers, &mapping, tz, today) {
                Ok(r) => r,
                Err(problems) => {
                    report.failed.extend(problems.into_iter().map(|p| RowProblem {
                        row: p.row,
                        column: p.column,
                        code: p.code,
                        message: p.message,
                    }));
                    continue;
                }
            };
            let mut row_problems = Vec::new();
            let owner = match r.owner.as_deref() {
                None => None,
                Some(o) => match rep_by.get(o) {
                    Some(found) => Some(found.clone()),
                    None => {
                        row_problems.push(problem(
                            row.number,
                            &header_of(Column::Owner),
                            ProblemCode::UnknownRecord,
                            format!("`{o}` is not an active rep you can assign leads to"),
                        ));
                        None
                    }
                },
            };
            let profile = match NewLead::read(&r.record) {
                Ok(cmd) => Some(cmd.profile),
                Err(problems) => {
                    row_problems.extend(problems.into_iter().map(|p| {
                        let field = p.path.strip_prefix("details.").unwrap_or(&p.path);
                        let column = match Column::ALL.iter().find(|c| c.key() == field) {
                            Some(c) => header_of(*c),
                            None => p.path.clone(),
                        };
                        problem(row.number, &column, p.code, p.message)
                    }));
                    None
                }
            };
            if let Some(code) = &r.code {
                if !codes_seen.insert(code.clone()) {
                    row_problems.push(problem(
                        row.number,
                        &header_of(Column::Code),
                        ProblemCode::Duplicate,
                        format!("`{code}` appears on an earlier row too"),
                    ));
                }
            }
            let existing = r.code.as_deref().and_then(|c| index.get(c));
            if let Some(card) = existing {
                if !actor.can_edit(card.owner.as_deref(), card.team.as_deref()) {
                    row_problems.push(problem(
                        row.number,
                        &header_of(Column::Code),
                        ProblemCode::UnknownRecord,
                        format!("lead `{}` is not one you may change", card.code),
                    ));
                }
            } else if let Some(code) = &r.code {
                if !valid_key(code) {
                    row_problems.push(problem(
                        row.number,
                        &header_of(Column::Code),
                        ProblemCode::UnknownValue,
                        "a lead code may hold only letters, digits, `_` and `-`",
                    ));
                }
            }
            if !row_problems.is_empty() {
                report.failed.extend(row_problems);
                continue;
            }
            let Some(profile) = profile else { continue };
            match existing {
                Some(card) => {
                    let mut fields = serde_json::Map::new();
                    let full = serde_json::to_value(&profile).unwrap_or_default();
                    if let Some(obj) = r.record.as_object() {
                        for key in obj.keys() {
                            fields.insert(key.clone(), full[key.as_str()].clone());
                        }
                    }
                    if let Some((key, _)) = &owner {
                        if card.owner.as_deref() != Some(key.as_str()) {
                            fields.insert("owner".into(), json!(key));
                        }
                    }
                    plans.push(Plan::Update {
                        row: row.number,
                        code: card.code.clone(),
                        version: card.version,
                        fields,
                    });
                }
                None => {
                    let keys =
                        DupKeys::of(profile.phone.as_deref(), profile.email.as_deref(), profile.company.as_deref());
                    let dups: Vec<String> = index
                        .duplicates_of(&keys, None)
                        .into_iter()
                        .map(|(c, _)| c)
                        .filter(|c| index.get(c).is_some_and(|x| actor.can_see(x.owner.as_deref(), x.team.as_deref())))
                        .collect();
                    if !dups.is_empty() {
                        report.duplicates.push(RowDuplicates { row: row.number, leads: dups });
                    }
                    plans.push(Plan::Create {
                        row: row.number,
                        code: r.code.clone(),
                        profile: Box::new(profile),
                        owner,
                        created_at: r.created_at,
                    });
                }
            }
        }
    }
    // A new row naming a code that a merged lead holds cannot take it.
    let named: Vec<String> = plans
        .iter()
        .filter_map(|p| match p {
            Plan::Create { code: Some(c), .. } => Some(c.clone()),
            _ => None,
        })
        .collect();
    let taken: HashSet<String> =
        if named.is_empty() { HashSet::new() } else { repo::taken(&state.db, &named).await?.into_iter().collect() };
    plans.retain(|p| match p {
        Plan::Create { row, code: Some(c), .. } if taken.contains(c) => {
            report.failed.push(problem(
                *row,
                &header_of(Column::Code),
                ProblemCode::Duplicate,
                format!("`{c}` belongs to a lead merged into another"),
            ));
            false
        }
        _ => true,
    });
    report.failed.sort_by_key(|p| p.row);
    report.created = plans.iter().filter(|p| matches!(p, Plan::Create { .. })).count();
    report.updated = plans.len() - report.created;
    if !commit {
        return Ok(report);
    }
    report.committed = true;
    let (created, updated, failed) = write(state, actor, plans, &settings, progress, report.failed.len()).await?;
    report.created = created;
    report.updated = updated;
    report.failed.extend(failed);
    report.failed.sort_by_key(|p| p.row);
    Ok(report)
}

/// Writes the planned rows: new leads in batches, updates one by one (each versioned and
/// audited as an edit). Answers how many were created and updated, and the rows a
/// concurrent change stopped.
async fn write(
    state: &AppState,
    actor: &Actor,
    plans: Vec<Plan>,
    settings: &crate::settings::WorkspaceSettings,
    progress: Option<&AtomicUsize>,
    already_failed: usize,
) -> ApiResult<(usize, usize, Vec<RowProblem>)> {
    // One import at a time on every app server of the workspace.
    let _one_at_a_time = crate::ssr::repo::locks::hold(&state.db, "import").await?;
    if let Some(p) = progress {
        p.store(already_failed, Ordering::Relaxed);
    }
    let now = Utc::now();
    let year = chrono::Datelike::year(&now.with_timezone(&settings.tz()));
    let unnamed = plans.iter().filter(|p| matches!(p, Plan::Create { code: None, .. })).count();
    let mut next = if unnamed > 0 { repo::reserve_codes(&state.db, year, unnamed).await? } else { 0 };
    let mut pool = super::leads::current_pool(state).await?;
    let rules = settings.assignment.clone();
    let home = if actor.is_admin() { Vec::new() } else { actor.teams.clone() };
    let mut rows = Vec::new();
    let mut tasks = Vec::new();
    let mut codes = Vec::new();
    let mut updates = Vec::new();
    for (i, plan) in plans.into_iter().enumerate() {
        match plan {
            Plan::Update { row, code, version, fields } => updates.push((row, code, version, fields)),
            Plan::Create { code, profile, owner, created_at, .. } => {
                let code = code.unwrap_or_else(|| {
                    let c = format!("LX{year}{next:05}");
                    next += 1;
                    c
                });
                let score = scoring::score(&profile.score_inputs(), &settings.scoring);
                let owner = owner.or_else(|| {
                    let traits = LeadTraits {
                        grade: score.grade,
                        source: profile.source,
                        region: profile.region.as_deref(),
                        industry: profile.industry.as_deref(),
                    };
                    let picked = super::leads::pick(&rules, &traits, &pool, &home);
                    // The pool follows each row, so the rules spread the file like arrivals.
                    if let Some((key, _)) = &picked {
                        if let Some(r) = pool.candidates.iter_mut().find(|r| &r.candidate.key == key) {
                            r.candidate.open_leads += 1;
                            r.candidate.last_assigned_at = Some(now + Duration::milliseconds(i as i64));
                        }
                    }
                    picked
                });
                let created = created_at.unwrap_or(now).min(now);
                let task_id = random_id();
                let due = now + Duration::minutes((settings.sla.hours(score.grade) * 60.0) as i64);
                let (owner_key, team) = owner.map_or((None, None), |(k, t)| (Some(k), t));
                let lead = lead_doc(&code, &profile, &score)
                    .set("id", record("lead", &code))
                    .opt_link("owner", "rep", owner_key.as_deref())
                    .opt_link("team", "team", team.as_deref())
                    .time("created_at", created)
                    .opt_time("assigned_at", owner_key.as_ref().map(|_| now))
                    .set("status", Status::New.key().to_string())
                    .time("status_since", created)
                    .set("version", 1i64)
                    .time("updated_at", now);
                let task = Doc::new()
                    .set("id", record("task", &task_id))
                    .link("lead", "lead", &code)
                    .opt_link("owner", "rep", owner_key.as_deref())
                    .set("kind", TaskKind::FollowUp.key().to_string())
                    .time("due_at", due);
                let audit = crate::ssr::repo::leads::audit_doc(actor, &code, "imported", Value::Null, json!(code), now);
                rows.push(NewRow { lead, task, audit });
                tasks.push(TaskFacts::planned(task_id, code.clone(), TaskKind::FollowUp, due, owner_key.clone()));
                codes.push(code);
            }
        }
    }
    let mut done = already_failed;
    let created = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<NewRow> = rows.by_ref().take(BATCH).collect();
        done += batch.len();
        repo::insert_rows(&state.db, batch).await?;
        if let Some(p) = progress {
            p.store(done, Ordering::Relaxed);
        }
    }
    state.follow_sheet_import(&codes, tasks, created).await?;
    let mut updated = 0;
    let mut failed = Vec::new();
    for (row, code, version, fields) in updates {
        match super::leads::update(state, actor, &code, LeadPatch { version, fields }).await {
            Ok(_) => updated += 1,
            Err(ApiError::Conflict(_)) => failed.push(problem(
                row,
                "",
                ProblemCode::Malformed,
                format!("lead `{code}` was changed by someone else meanwhile; import the row again"),
            )),
            Err(ApiError::Invalid(problems)) => {
                failed.extend(problems.into_iter().map(|p| problem(row, &p.path, p.code, p.message)))
            }
            Err(e) => return Err(e),
        }
        done += 1;
        if let Some(p) = progress {
            p.store(done, Ordering::Relaxed);
        }
    }
    Ok((created, updated, failed))
}
