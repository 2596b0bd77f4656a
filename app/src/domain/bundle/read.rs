//! Reading a history bundle: every section and record checked, every reference resolved,
//! every problem reported with its path.
use super::*;

fn section<'a>(root: &'a Value, name: &str, problems: &mut Vec<Problem>) -> &'a [Value] {
    match root.get(name) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(_) => {
            problems.push(Problem::new(name, ProblemCode::WrongType, "must be a list"));
            &[]
        }
    }
}

/// Checks that a reference names a known key.
fn reference(f: &mut Fields<'_>, field: &str, value: Option<&String>, known: &HashSet<String>, what: &str) {
    if let Some(v) = value {
        if !known.contains(v) {
            f.reject(
                field,
                ProblemCode::UnknownRecord,
                format!("no {what} with key `{v}` in the bundle or the workspace"),
            );
        }
    }
}

impl Bundle {
    pub fn counts(&self) -> BundleCounts {
        BundleCounts {
            teams: self.teams.len(),
            reps: self.reps.len(),
            leads: self.leads.len(),
            interactions: self.interactions.len(),
            stage_changes: self.stage_changes.len(),
            tasks: self.tasks.len(),
            feedback: self.feedback.len(),
            orders: self.orders.len(),
        }
    }

    /// Validates a bundle against itself and what the workspace already holds.
    pub fn read(root: &Value, existing: &Existing) -> Result<Bundle, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(obj) = root.as_object() else {
            return Err(vec![Problem::new("", ProblemCode::Malformed, "the bundle must be a JSON object")]);
        };
        for key in obj.keys() {
            if !SECTIONS.contains(&key.as_str()) {
                problems.push(Problem::new(key.clone(), ProblemCode::NotEditable, "unknown section"));
            }
        }
        let mut bundle = Bundle::default();

        let mut team_keys = existing.teams.clone();
        for (i, v) in section(root, "teams", &mut problems).iter().enumerate() {
            let mut f = Fields::new(v, format!("teams[{i}]"), &mut problems);
            let key = f.req_str("key");
            let name = f.req_str("name");
            let region = f.opt_str("region");
            if let Some(k) = &key {
                if !team_keys.insert(k.clone()) {
                    f.reject("key", ProblemCode::Duplicate, format!("team key `{k}` is used twice"));
                }
            }
            if let (Some(key), Some(name)) = (key, name) {
                bundle.teams.push(TeamRecord { key, name, region });
            }
        }

        let mut rep_keys = existing.reps.clone();
        let reps_json = section(root, "reps", &mut problems);
        for (i, v) in reps_json.iter().enumerate() {
            let mut f = Fields::new(v, format!("reps[{i}]"), &mut problems);
            if let Some(k) = f.req_str("key") {
                if !rep_keys.insert(k.clone()) {
                    f.reject("key", ProblemCode::Duplicate, format!("rep key `{k}` is used twice"));
                }
            }
        }
        for (i, v) in reps_json.iter().enumerate() {
            let mut f = Fields::new(v, format!("reps[{i}]"), &mut problems);
            let key = f.opt_str("key");
            let name = f.req_str("name");
            let seniority = f.req_enum("seniority");
            let team = f.opt_str("team");
            reference(&mut f, "team", team.as_ref(), &team_keys, "team");
            let region = f.opt_str("region");
            let industries = f.str_list("industries");
            let mentor = f.opt_str("mentor");
            reference(&mut f, "mentor", mentor.as_ref(), &rep_keys, "rep");
            if let (Some(key), Some(name), Some(seniority)) = (key, name, seniority) {
                bundle.reps.push(RepRecord { key, name, seniority, team, region, industries, mentor });
            }
        }

        let mut lead_keys = existing.lead_keys.clone();
        let mut codes = existing.lead_codes.clone();
        for (i, v) in section(root, "leads", &mut problems).iter().enumerate() {
            let mut f = Fields::new(v, format!("leads[{i}]"), &mut problems);
            let key = f.req_str("key");
            if let Some(k) = &key {
                if !lead_keys.insert(k.clone()) {
                    f.reject("key", ProblemCode::Duplicate, format!("lead key `{k}` is used twice or already exists"));
                }
            }
            let code = f.req_str("code");
            if let Some(c) = &code {
                if !codes.insert(c.clone()) {
                    f.reject(
                        "code",
                        ProblemCode::Duplicate,
                        format!("lead code `{c}` is used twice or already exists"),
                    );
                }
            }
            let profile = LeadProfile::read(&mut f);
            let owner = f.opt_str("owner");
            reference(&mut f, "owner", owner.as_ref(), &rep_keys, "rep");
            let created_at = f.req_time("created_at");
            let assigned_at = f.opt_time("assigned_at");
            let problems_before = f.problems.len();
            let status = f.opt_enum("status").unwrap_or(Status::New);
            let status_ok = f.problems.len() == problems_before;
            let won_at = f.opt_time("won_at");
            let lost_at = f.opt_time("lost_at");
            let deal_amount = f.opt_amount("deal_amount");
            let loss_reason = f.opt_enum("loss_reason");
            if let (Some(c), Some(a)) = (created_at, assigned_at) {
                if a < c {
                    f.reject("assigned_at", ProblemCode::BadOrder, "is before created_at");
                }
            }
            match status {
                Status::Won if won_at.is_none() => {
                    f.reject("won_at", ProblemCode::Required, "is required when status is won")
                }
                Status::Lost if lost_at.is_none() => {
                    f.reject("lost_at", ProblemCode::Required, "is required when status is lost")
                }
                _ => {}
            }
            if let (Some(key), Some(code), Some(created_at), true, Some(_), Some(_)) =
                (key, code, created_at, status_ok, &profile.source, &profile.company)
            {
                bundle.leads.push(LeadRecord {
                    key,
                    code,
                    profile,
                    owner,
                    created_at,
                    assigned_at,
                    status,
                    won_at,
                    lost_at,
                    deal_amount,
                    loss_reason,
                });
            }
        }

        for (i, v) in section(root, "interactions", &mut problems).iter().enumerate() {
            let mut f = Fields::new(v, format!("interactions[{i}]"), &mut problems);
            let lead = f.req_str("lead");
            reference(&mut f, "lead", lead.as_ref(), &lead_keys, "lead");
            let rep = f.req_str("rep");
            reference(&mut f, "rep", rep.as_ref(), &rep_keys, "rep");
            let details = InteractionRecord::read_details(&mut f);
            let stage_before = f.req_enum("stage_before");
            let stage_after = f.req_enum("stage_after");
            if let (Some(lead), Some(rep), Some(d), Some(stage_before), Some(stage_after)) =
                (lead, rep, details, stage_before, stage_after)
            {
                bundle.interactions.push(InteractionRecord {
                    lead,
                    rep,
                    occurred_at: d.occurred_at,
                    logged_at: d.logged_at.unwrap_or(d.occurred_at),
                    channel: d.channel,
                    direction: d.direction,
                    responded: d.responded,
                    satisfaction: d.satisfaction,
                    stage_before,
                    stage_after,
                    summary: d.summary,
                    contact: d.contact,
                    bant: d.bant,
                    needs_change: d.needs_change,
                    feedback: d.feedback,
                    decision_progress: d.decision_progress,
                    mood: d.mood,
                    next_follow_up_at: d.next_follow_up_at,
                });
            }
        }

        for (i, v) in section(root, "stage_changes", &mut problems).iter().enumerate() {
            let mut f = Fields::new(v, format!("stage_changes[{i}]"), &mut problems);
            let lead = f.req_str("lead");
            reference(&mut f, "lead", lead.as_ref(), &lead_keys, "lead");
            let from = f.opt_enum("from");
            let to = f.req_enum("to");
            let at = f.req_time("at");
            let by = f.opt_str("by");
            reference(&mut f, "by", by.as_ref(), &rep_keys, "rep");
            if let (Some(lead), Some(to), Some(at)) = (lead, to, at) {
                bundle.stage_changes.push(StageChangeRecord { lead, from, to, at, by });
            }
        }

        for (i, v) in section(root, "tasks", &mut problems).iter().enumerate() {
            let mut f = Fields::new(v, format!("tasks[{i}]"), &mut problems);
            let lead = f.req_str("lead");
            reference(&mut f, "lead", lead.as_ref(), &lead_keys, "lead");
            let owner = f.opt_str("owner");
            reference(&mut f, "owner", owner.as_ref(), &rep_keys, "rep");
            let kind = f.opt_enum("kind").or(Some(TaskKind::FollowUp));
            let due_at = f.req_time("due_at");
            let done_at = f.opt_time("done_at");
            let title = f.opt_str("title");
            if let (Some(lead), Some(kind), Some(due_at)) = (lead, kind, due_at) {
                bundle.tasks.push(TaskRecord { lead, owner, kind, due_at, done_at, title });
            }
        }

        for (i, v) in section(root, "feedback", &mut problems).iter().enumerate() {
            let mut f = Fields::new(v, format!("feedback[{i}]"), &mut problems);
            let lead = f.req_str("lead");
            reference(&mut f, "lead", lead.as_ref(), &lead_keys, "lead");
            let received_at = f.req_time("received_at");
            let channel = f.opt_enum("channel");
            let kind = f.req_enum("type");
            let priority = f.opt_enum("priority").or(Some(Priority::Medium));
            let summary = f.opt_str("summary");
            let status = f.opt_enum("status").or(Some(FeedbackStatus::Open));
            let resolved_at = f.opt_time("resolved_at");
            let customer_confirmed_at = f.opt_time("customer_confirmed_at");
            let satisfaction = f.opt_rating("satisfaction");
            let why_chain = f.str_list("why_chain");
            if why_chain.len() > 5 {
                f.reject("why_chain", ProblemCode::TooMany, "holds at most five whys");
            }
            let root_cause = f.opt_str("root_cause");
            let plan = f.opt_str("plan");
            let owner = f.opt_str("owner");
            reference(&mut f, "owner", owner.as_ref(), &rep_keys, "rep");
            let due_at = f.opt_time("due_at");
            if let (Some(lead), Some(received_at), Some(kind), Some(priority), Some(status)) =
                (lead, received_at, kind, priority, status)
            {
                bundle.feedback.push(FeedbackRecord {
                    lead,
                    received_at,
                    channel,
                    kind,
                    priority,
                    summary,
                    status,
                    resolved_at,
                    customer_confirmed_at,
                    satisfaction,
                    why_chain,
                    root_cause,
                    plan,
                    owner,
                    due_at,
                });
            }
        }

        for (i, v) in section(root, "orders", &mut problems).iter().enumerate() {
            let mut f = Fields::new(v, format!("orders[{i}]"), &mut problems);
            let lead = f.req_str("lead");
            reference(&mut f, "lead", lead.as_ref(), &lead_keys, "lead");
            let amount = f.opt_amount("amount");
            if amount.is_none() && !f.has("amount") {
                f.reject("amount", ProblemCode::Required, "is required");
            }
            let profit = f.opt_amount("profit");
            let ordered_at = f.req_time("ordered_at");
            if let (Some(lead), Some(amount), Some(ordered_at)) = (lead, amount, ordered_at) {
                bundle.orders.push(OrderRecord { lead, amount, profit, ordered_at });
            }
        }

        if problems.is_empty() {
            Ok(bundle)
        } else {
            Err(problems)
        }
    }

    /// Each rep's team, for naming a lead's team by its owner.
    pub fn rep_teams(&self) -> HashMap<&str, Option<&str>> {
        self.reps.iter().map(|r| (r.key.as_str(), r.team.as_deref())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "teams": [{"key": "t1", "name": "华东销售1组", "region": "华东"}],
            "reps": [{"key": "r11", "name": "王伟", "seniority": "manager", "team": "t1"}],
            "leads": [{"key": "l1", "code": "LX202400001", "source": "trade_show",
                       "company": "上海华信科技有限公司", "owner": "r11",
                       "created_at": "2024-03-01T02:00:00Z", "status": "new"}],
            "interactions": [{"lead": "l1", "rep": "r11", "occurred_at": "2024-03-01T03:00:00Z",
                              "logged_at": "2024-03-01T03:10:00Z", "channel": "phone",
                              "direction": "outbound", "responded": true, "satisfaction": 4,
                              "stage_before": "new", "stage_after": "contacted"}]
        })
    }

    #[test]
    fn a_valid_bundle_reads_whole() {
        let b = Bundle::read(&minimal(), &Existing::default()).unwrap();
        assert_eq!(b.counts().interactions, 1);
        assert_eq!(b.leads[0].profile.source, Some(Source::TradeShow));
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut v = minimal();
        v["leads"][0]["source"] = json!("fax");
        v["leads"][0]["owner"] = json!("r99");
        v["interactions"][0]["occurred_at"] = json!("yesterday");
        v["leads"][0]["budget"] = json!(-5);
        let problems = Bundle::read(&v, &Existing::default()).unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"leads[0].source"), "{paths:?}");
        assert!(paths.contains(&"leads[0].owner"), "{paths:?}");
        assert!(paths.contains(&"leads[0].budget"), "{paths:?}");
        assert!(paths.contains(&"interactions[0].occurred_at"), "{paths:?}");
    }

    #[test]
    fn a_duplicate_code_is_refused_within_the_bundle_and_against_the_workspace() {
        let mut v = minimal();
        let mut second = v["leads"][0].clone();
        second["key"] = json!("l2");
        v["leads"].as_array_mut().unwrap().push(second);
        let problems = Bundle::read(&v, &Existing::default()).unwrap_err();
        assert_eq!(problems[0].path, "leads[1].code");

        let existing = Existing { lead_codes: ["LX202400001".to_string()].into(), ..Default::default() };
        let problems = Bundle::read(&minimal(), &existing).unwrap_err();
        assert_eq!(problems[0].path, "leads[0].code");
    }

    #[test]
    fn references_may_name_what_the_workspace_already_has() {
        let v = json!({"leads": [{"key": "l9", "code": "LX9", "source": "other", "company": "某公司",
                                  "owner": "r11", "created_at": "2024-03-01T02:00:00Z"}]});
        let existing = Existing { reps: ["r11".to_string()].into(), ..Default::default() };
        assert!(Bundle::read(&v, &existing).is_ok());
    }
}
