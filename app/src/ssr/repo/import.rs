//! Writes a validated history bundle in one transaction: all of it or nothing.
use super::error::{checked, RepoError, RepoResult};
use crate::domain::bundle::{Bundle, Existing, LeadRecord};
use crate::domain::enums::{Direction, Role, Seniority, Status};
use crate::kpi::{bundle_changes, BundleNames, ViewChange};
use crate::scoring;
use crate::settings::WorkspaceSettings;
use crate::ssr::db::{docs, record, Db, Doc};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// What the workspace already holds that a bundle may name.
pub struct Known {
    pub existing: Existing,
    /// Lead key → code, rep key → team key, of the records already stored.
    pub lead_codes: HashMap<String, String>,
    pub rep_teams: HashMap<String, Option<String>>,
}

#[derive(Deserialize)]
struct KeyCode {
    key: String,
    code: String,
}

#[derive(Deserialize)]
struct RepTeam {
    key: String,
    team: Option<String>,
}

pub async fn known(db: &Db) -> RepoResult<Known> {
    let mut res = db
        .query(
            "SELECT VALUE key FROM team;
             SELECT key, team.key AS team FROM rep;
             SELECT key, code FROM lead WHERE key != NONE;
             SELECT VALUE code FROM lead;",
        )
        .await?;
    let teams: Vec<String> = res.take(0)?;
    let reps: Vec<RepTeam> = super::rows(&mut res, 1)?;
    let leads: Vec<KeyCode> = super::rows(&mut res, 2)?;
    let codes: Vec<String> = res.take(3)?;
    Ok(Known {
        existing: Existing {
            teams: teams.into_iter().collect(),
            reps: reps.iter().map(|r| r.key.clone()).collect(),
            lead_keys: leads.iter().map(|l| l.key.clone()).collect(),
            lead_codes: codes.into_iter().collect(),
        },
        lead_codes: leads.into_iter().map(|l| (l.key, l.code)).collect(),
        rep_teams: reps.into_iter().map(|r| (r.key, r.team)).collect(),
    })
}

fn random_id() -> String {
    use rand::Rng;
    format!("{:016x}", rand::rng().random::<u64>())
}

/// When a lead entered its current status: its last stage change to that status, else the
/// time its record says, else when it was assigned or created.
fn status_since(l: &LeadRecord, changes: Option<&Vec<(DateTime<Utc>, Status)>>) -> DateTime<Utc> {
    let from_changes = changes.into_iter().flatten().filter(|(_, to)| *to == l.status).map(|(at, _)| *at).max();
    from_changes
        .or(match l.status {
            Status::Won => l.won_at,
            Status::Lost => l.lost_at,
            _ => None,
        })
        .or(l.assigned_at)
        .unwrap_or(l.created_at)
}

/// Writes the bundle and returns the changes the analytic view must follow.
pub async fn write(
    db: &Db,
    bundle: &Bundle,
    known: &Known,
    settings: &WorkspaceSettings,
) -> RepoResult<Vec<ViewChange>> {
    let bundle_codes: HashMap<&str, &str> = bundle.leads.iter().map(|l| (l.key.as_str(), l.code.as_str())).collect();
    let bundle_teams = bundle.rep_teams();
    let lead_code = |k: &str| bundle_codes.get(k).map(|c| (*c).to_owned()).or_else(|| known.lead_codes.get(k).cloned());
    let rep_team = |r: &str| match bundle_teams.get(r) {
        Some(t) => t.map(str::to_owned),
        None => known.rep_teams.get(r).cloned().flatten(),
    };
    let code = |k: &str| lead_code(k).unwrap_or_default();

    let managers: HashMap<&str, &str> = bundle
        .reps
        .iter()
        .filter(|r| r.seniority == Seniority::Manager)
        .filter_map(|r| r.team.as_deref().map(|t| (t, r.key.as_str())))
        .collect();
    let teams = bundle.teams.iter().map(|t| {
        Doc::new()
            .set("id", record("team", &t.key))
            .set("key", t.key.clone())
            .set("name", t.name.clone())
            .opt("region", t.region.clone())
            .opt_link("manager", "rep", managers.get(t.key.as_str()).copied())
    });
    let reps = bundle.reps.iter().map(|r| {
        Doc::new()
            .set("id", record("rep", &r.key))
            .set("key", r.key.clone())
            .set("name", r.name.clone())
            .set("seniority", r.seniority.key().to_string())
            .opt_link("team", "team", r.team.as_deref())
            .opt("region", r.region.clone())
            .strings("industries", &r.industries)
            .opt_link("mentor", "rep", r.mentor.as_deref())
    });
    let now = Utc::now();
    let users = bundle.reps.iter().map(|r| {
        let role = if r.seniority == Seniority::Manager { Role::Manager } else { Role::Rep };
        let teams: Vec<surrealdb::types::RecordId> = r.team.iter().map(|t| record("team", t)).collect();
        Doc::new()
            .set("id", record("user", &r.key))
            .set("key", r.key.clone())
            .set("name", r.name.clone())
            .set("role", role.key().to_string())
            .link("rep", "rep", &r.key)
            .set("teams", teams)
            .time("created_at", now)
    });

    let mut first_contact: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for i in bundle.interactions.iter().filter(|i| i.direction == Direction::Outbound) {
        let e = first_contact.entry(i.lead.as_str()).or_insert(i.occurred_at);
        *e = (*e).min(i.occurred_at);
    }
    let mut changes_of: HashMap<&str, Vec<(DateTime<Utc>, Status)>> = HashMap::new();
    for s in &bundle.stage_changes {
        changes_of.entry(s.lead.as_str()).or_default().push((s.at, s.to));
    }
    let leads = bundle.leads.iter().map(|l| {
        let p = &l.profile;
        let score = scoring::score(&p.score_inputs(), &settings.scoring);
        lead_doc(&l.code, p, &score)
            .set("id", record("lead", &l.code))
            .set("key", l.key.clone())
            .opt_link("owner", "rep", l.owner.as_deref())
            .opt_link("team", "team", l.owner.as_deref().and_then(rep_team).as_deref())
            .time("created_at", l.created_at)
            .opt_time("assigned_at", l.assigned_at)
            .opt_time("first_contact_at", first_contact.get(l.key.as_str()).copied())
            .set("status", l.status.key().to_string())
            .time("status_since", status_since(l, changes_of.get(l.key.as_str())))
            .opt_time("won_at", l.won_at)
            .opt_time("lost_at", l.lost_at)
            .opt("deal_amount", l.deal_amount)
            .opt("loss_reason", l.loss_reason.map(|r| r.key().to_string()))
            .set("version", 1i64)
            .time("updated_at", now)
    });
    let interactions = bundle.interactions.iter().map(|i| interaction_doc(&i.rep, &code(&i.lead), i));
    let stage_changes = bundle.stage_changes.iter().map(|s| {
        Doc::new()
            .link("lead", "lead", &code(&s.lead))
            .opt("from_status", s.from.map(|f| f.key().to_string()))
            .set("to_status", s.to.key().to_string())
            .time("at", s.at)
            .opt_link("by_rep", "rep", s.by.as_deref())
    });
    let task_ids: Vec<String> = bundle.tasks.iter().map(|_| random_id()).collect();
    let tasks = bundle.tasks.iter().zip(&task_ids).map(|(t, id)| {
        Doc::new()
            .set("id", record("task", id))
            .link("lead", "lead", &code(&t.lead))
            .opt_link("owner", "rep", t.owner.as_deref())
            .set("kind", t.kind.key().to_string())
            .opt("title", t.title.clone())
            .time("due_at", t.due_at)
            .opt_time("done_at", t.done_at)
    });
    let feedback_ids: Vec<String> = bundle.feedback.iter().map(|_| random_id()).collect();
    let feedback = bundle.feedback.iter().zip(&feedback_ids).map(|(f, id)| {
        Doc::new()
            .set("id", record("feedback", id))
            .link("lead", "lead", &code(&f.lead))
            .time("received_at", f.received_at)
            .opt("channel", f.channel.map(|c| c.key().to_string()))
            .set("kind", f.kind.key().to_string())
            .set("priority", f.priority.key().to_string())
            .opt("summary", f.summary.clone())
            .strings("why_chain", &f.why_chain)
            .opt("root_cause", f.root_cause.clone())
            .opt("plan", f.plan.clone())
            .opt_link("owner", "rep", f.owner.as_deref())
            .opt_time("due_at", f.due_at)
            .set("status", f.status.key().to_string())
            .opt_time("resolved_at", f.resolved_at)
            .opt_time("customer_confirmed_at", f.customer_confirmed_at)
            .opt("satisfaction", f.satisfaction.map(i64::from))
    });
    let orders = bundle.orders.iter().map(|o| {
        Doc::new()
            .link("lead", "lead", &code(&o.lead))
            .set("amount", o.amount)
            .opt("profit", o.profit)
            .time("ordered_at", o.ordered_at)
    });

    let res = db
        .query(
            "BEGIN TRANSACTION;
         INSERT INTO team $teams RETURN NONE;
         INSERT INTO rep $reps RETURN NONE;
         INSERT INTO user $users RETURN NONE;
         INSERT INTO lead $leads RETURN NONE;
         INSERT RELATION INTO followed_up $interactions RETURN NONE;
         INSERT INTO stage_change $stage_changes RETURN NONE;
         INSERT INTO task $tasks RETURN NONE;
         INSERT INTO feedback $feedback RETURN NONE;
         INSERT INTO sales_order $orders RETURN NONE;
         COMMIT TRANSACTION;",
        )
        .bind(("teams", docs(teams)))
        .bind(("reps", docs(reps)))
        .bind(("users", docs(users)))
        .bind(("leads", docs(leads)))
        .bind(("interactions", docs(interactions)))
        .bind(("stage_changes", docs(stage_changes)))
        .bind(("tasks", docs(tasks)))
        .bind(("feedback", docs(feedback)))
        .bind(("orders", docs(orders)))
        .await?;
    match checked(res) {
        Err(RepoError::Db(e)) if e.is_already_exists() => return Err(RepoError::Exists),
        other => other?,
    };

    let names = BundleNames { lead_code: &lead_code, rep_team: &rep_team };
    Ok(bundle_changes(bundle, &settings.scoring, &names, &task_ids, &feedback_ids))
}

/// The profile and score fields of a lead document.
pub fn lead_doc(code: &str, p: &crate::domain::lead::LeadProfile, score: &scoring::Score) -> Doc {
    Doc::new()
        .set("code", code.to_string())
        .set("source", p.source.map_or("other", |s| s.key()).to_string())
        .opt("source_details", p.source_details.clone())
        .set("company", p.company.clone().unwrap_or_default())
        .opt("industry", p.industry.clone())
        .opt("region", p.region.clone())
        .opt("employees", p.employees.map(i64::from))
        .opt("contact_name", p.contact_name.clone())
        .opt("contact_title", p.contact_title.clone())
        .opt("phone", p.phone.clone())
        .opt("email", p.email.clone())
        .opt("need", p.need.clone())
        .opt("pain_points", p.pain_points.clone())
        .opt("expected_solution", p.expected_solution.clone())
        .opt("budget", p.budget)
        .opt("decision_months", p.decision_months.map(i64::from))
        .opt("decision_chain", p.decision_chain.map(|c| c.key().to_string()))
        .opt("strategy", p.strategy.clone())
        .strings("tags", &p.tags)
        .set("verified", p.verified)
        .opt("remarks", p.remarks.clone())
        .set("details", details_doc(&p.details).into_value())
        .set("score", score_doc(score).into_value())
        .set("grade", score.grade.key().to_string())
}

/// A lead's channel details, every field named (an emptied one is removed on a change).
pub fn details_doc(d: &crate::domain::lead::ChannelDetails) -> Doc {
    let text = |v: &Option<String>| v.clone().map_or(surrealdb::types::Value::None, surrealdb::types::Value::String);
    Doc::new()
        .set("booth", text(&d.booth))
        .set(
            "minutes",
            d.minutes
                .map_or(surrealdb::types::Value::None, |m| surrealdb::types::SurrealValue::into_value(i64::from(m))),
        )
        .set("products", text(&d.products))
        .set("contact_reason", text(&d.contact_reason))
        .set("page", text(&d.page))
        .set("keywords", text(&d.keywords))
        .set("referrer", text(&d.referrer))
        .set("relationship", text(&d.relationship))
        .set("scenario", text(&d.scenario))
}

pub fn score_doc(s: &scoring::Score) -> Doc {
    Doc::new()
        .set("company_size", i64::from(s.company_size))
        .set("budget_match", i64::from(s.budget_match))
        .set("urgency", i64::from(s.urgency))
        .set("decision_chain", i64::from(s.decision_chain))
        .set("total", i64::from(s.total))
        .set("grade", s.grade.key().to_string())
}

/// A follow-up edge document `rep ->followed_up-> lead`.
pub fn interaction_doc(rep: &str, lead_code: &str, i: &crate::domain::bundle::InteractionRecord) -> Doc {
    let bant = Doc::new()
        .opt("background", i.bant.background.clone())
        .opt("pain", i.bant.pain.clone())
        .opt("need", i.bant.need.clone())
        .opt("value", i.bant.value.clone());
    Doc::new()
        .link("in", "rep", rep)
        .link("out", "lead", lead_code)
        .time("occurred_at", i.occurred_at)
        .time("logged_at", i.logged_at)
        .set("channel", i.channel.key().to_string())
        .set("direction", i.direction.key().to_string())
        .opt("contact", i.contact.clone())
        .opt("summary", i.summary.clone())
        .set("bant", bant.into_value())
        .opt("needs_change", i.needs_change.clone())
        .opt("feedback", i.feedback.clone())
        .opt("decision_progress", i.decision_progress.clone())
        .opt("mood", i.mood.map(|m| m.key().to_string()))
        .set("responded", i.responded)
        .opt("satisfaction", i.satisfaction.map(i64::from))
        .set("stage_before", i.stage_before.key().to_string())
        .set("stage_after", i.stage_after.key().to_string())
        .opt_time("next_follow_up_at", i.next_follow_up_at)
}
