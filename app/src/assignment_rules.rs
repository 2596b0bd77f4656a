//! The admin's assignment rules (PRODUCT.md §4 and §12): an ordered list of rules, each with
//! conditions on a new lead's region, industry, source and grade that send it to a team or to
//! one rep. The first rule that places the lead wins; the default rules of §4 always apply
//! last. Reps who left (inactive) or are at their capacity (max open leads) are skipped, and
//! a dry run shows how a series of leads would have been spread over the team.
use crate::assignment::{self, Candidate};
use crate::domain::enums::{Grade, Source};
use crate::domain::validate::{max_chars, Problem, ProblemCode, MAX_LIST_ITEM_CHARS};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The most rules a workspace keeps: enough for every region, channel and key account.
pub const MAX_RULES: usize = 100;

/// A workspace's assignment rules, tried in order before the default rules of §4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AssignmentRules {
    pub rules: Vec<Rule>,
}

/// One rule: a lead that matches every non-empty condition goes to `to`. An empty condition
/// list matches any lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// What the admin calls the rule (shown in the editor and the dry run).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub grades: Vec<Grade>,
    pub to: Target,
}

/// Where a rule sends a lead: a team (the §4 logic picks the rep in it) or one rep.
///
/// In JSON it reads `{"kind": "team", "key": "t2"}`; in the pages' binary wire
/// (`crate::wire`) it travels as a plain enum, because a positional format cannot read a
/// tagged one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "kind", content = "key", rename_all = "snake_case")]
pub enum Target {
    Team(String),
    Rep(String),
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            Target::serialize(self, s)
        } else {
            TargetWire::serialize(self, s)
        }
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Target, D::Error> {
        if d.is_human_readable() {
            Target::deserialize(d)
        } else {
            TargetWire::deserialize(d)
        }
    }
}

/// [`Target`] in the binary wire: an externally tagged enum.
#[allow(dead_code)]
#[derive(Serialize, Deserialize)]
#[serde(remote = "Target")]
enum TargetWire {
    Team(String),
    Rep(String),
}

impl Target {
    /// The team's or the rep's key.
    pub fn key(&self) -> &str {
        match self {
            Target::Team(key) | Target::Rep(key) => key,
        }
    }
}

/// A rep who might receive leads, with what the rules look at besides the §4 criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolRep {
    pub candidate: Candidate,
    pub team: Option<String>,
    /// Deactivated reps (leavers) never receive leads.
    pub active: bool,
    /// The rep's capacity: no new lead once this many are open.
    pub max_open_leads: Option<u32>,
}

impl PoolRep {
    /// Active and under capacity.
    pub fn eligible(&self) -> bool {
        self.active && self.max_open_leads.is_none_or(|max| self.candidate.open_leads < max)
    }
}

/// Every rep of the workspace who might receive a lead.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pool {
    pub candidates: Vec<PoolRep>,
}

/// What the rules know about a new lead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeadTraits<'a> {
    pub grade: Grade,
    pub source: Option<Source>,
    pub region: Option<&'a str>,
    pub industry: Option<&'a str>,
}

/// Who receives a lead, and which rule placed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assigned<'a> {
    pub rep: &'a PoolRep,
    /// The index of the rule that placed the lead; `None` when the default rules did.
    pub rule: Option<usize>,
}

impl Rule {
    /// Whether the lead meets every condition of the rule.
    pub fn matches(&self, lead: &LeadTraits<'_>) -> bool {
        fn holds<T: PartialEq>(allowed: &[T], value: Option<&T>) -> bool {
            allowed.is_empty() || value.is_some_and(|v| allowed.contains(v))
        }
        let text = |allowed: &[String], value: Option<&str>| {
            allowed.is_empty() || value.is_some_and(|v| allowed.iter().any(|a| a == v))
        };
        text(&self.regions, lead.region)
            && text(&self.industries, lead.industry)
            && holds(&self.sources, lead.source.as_ref())
            && holds(&self.grades, Some(&lead.grade))
    }
}

/// The §4 default rules over some of the pool's reps.
fn by_default<'a>(lead: &LeadTraits<'_>, reps: &[&'a PoolRep]) -> Option<&'a PoolRep> {
    let candidates: Vec<Candidate> = reps.iter().map(|r| r.candidate.clone()).collect();
    let picked = assignment::assign(lead.grade, lead.region, lead.industry, &candidates)?;
    let index = candidates.iter().position(|c| std::ptr::eq(c, picked))?;
    Some(reps[index])
}

/// Picks the owner of a new lead: the first rule whose conditions hold and that yields an
/// eligible rep places it (a rep target only when that rep is eligible, a team target by the
/// §4 logic among the team's eligible reps); otherwise the §4 logic over every eligible rep.
/// `None` when nobody is eligible.
pub fn assign<'a>(rules: &AssignmentRules, lead: &LeadTraits<'_>, pool: &'a Pool) -> Option<Assigned<'a>> {
    let eligible: Vec<&PoolRep> = pool.candidates.iter().filter(|r| r.eligible()).collect();
    for (index, rule) in rules.rules.iter().enumerate().filter(|(_, r)| r.matches(lead)) {
        let rep = match &rule.to {
            Target::Rep(key) => eligible.iter().copied().find(|r| r.candidate.key == *key),
            Target::Team(team) => {
                let members: Vec<&PoolRep> =
                    eligible.iter().copied().filter(|r| r.team.as_deref() == Some(team.as_str())).collect();
                by_default(lead, &members)
            }
        };
        if let Some(rep) = rep {
            return Some(Assigned { rep, rule: Some(index) });
        }
    }
    by_default(lead, &eligible).map(|rep| Assigned { rep, rule: None })
}

/// Assigns the leads in order as if they arrived one after another (a second apart from
/// `now`): each one raises its rep's open leads and marks the rep as just served, so the
/// preview spreads the load like real arrivals. Each answer is the rep's key and the rule
/// that placed the lead (`None` for the default rules), or `None` when nobody was eligible.
pub fn dry_run(
    rules: &AssignmentRules,
    leads: &[LeadTraits<'_>],
    pool: &Pool,
    now: DateTime<Utc>,
) -> Vec<Option<(String, Option<usize>)>> {
    let mut pool = pool.clone();
    let mut out = Vec::with_capacity(leads.len());
    for (i, lead) in leads.iter().enumerate() {
        let placed = assign(rules, lead, &pool).map(|a| (a.rep.candidate.key.clone(), a.rule));
        if let Some((key, _)) = &placed {
            if let Some(rep) = pool.candidates.iter_mut().find(|r| r.candidate.key == *key) {
                rep.candidate.open_leads += 1;
                rep.candidate.last_assigned_at = Some(now + Duration::seconds(i as i64));
            }
        }
        out.push(placed);
    }
    out
}

/// Checks the rules' shape (not whether their teams and reps exist): every target names a
/// key, condition values are non-empty and short, and the list is not too long. `path` is
/// where the rules sit in the settings document (`assignment`).
pub fn validate_rules(rules: &AssignmentRules, path: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let at = |rest: String| if path.is_empty() { rest } else { format!("{path}.{rest}") };
    if rules.rules.len() > MAX_RULES {
        let message = format!("has more than {MAX_RULES} rules");
        problems.push(Problem::new(at("rules".into()), ProblemCode::TooMany, message));
    }
    for (i, rule) in rules.rules.iter().enumerate() {
        let rule_path = format!("rules[{i}]");
        let key = rule.to.key().trim();
        if key.is_empty() {
            let key_path = at(format!("{rule_path}.to.key"));
            problems.push(Problem::new(key_path, ProblemCode::Required, "names no team or rep"));
        } else if key.chars().count() > max_chars("key") {
            let message = format!("is longer than {} characters", max_chars("key"));
            problems.push(Problem::new(at(format!("{rule_path}.to.key")), ProblemCode::TooLong, message));
        }
        if rule.name.chars().count() > max_chars("name") {
            let message = format!("is longer than {} characters", max_chars("name"));
            problems.push(Problem::new(at(format!("{rule_path}.name")), ProblemCode::TooLong, message));
        }
        for (field, values) in [("regions", &rule.regions), ("industries", &rule.industries)] {
            for (j, value) in values.iter().enumerate() {
                let value_path = at(format!("{rule_path}.{field}[{j}]"));
                if value.trim().is_empty() {
                    problems.push(Problem::new(value_path, ProblemCode::Empty, "must be a non-empty string"));
                } else if value.chars().count() > MAX_LIST_ITEM_CHARS {
                    let message = format!("is longer than {MAX_LIST_ITEM_CHARS} characters");
                    problems.push(Problem::new(value_path, ProblemCode::TooLong, message));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Seniority;

    fn rep(key: &str, seniority: Seniority, team: &str, region: &str, open: u32) -> PoolRep {
        PoolRep {
            candidate: Candidate {
                key: key.into(),
                seniority,
                region: Some(region.into()),
                industries: Vec::new(),
                open_leads: open,
                last_assigned_at: None,
            },
            team: Some(team.into()),
            active: true,
            max_open_leads: None,
        }
    }

    fn pool() -> Pool {
        Pool {
            candidates: vec![
                rep("m1", Seniority::Manager, "t1", "华东", 5),
                rep("s1", Seniority::Senior, "t1", "华东", 2),
                rep("j1", Seniority::Junior, "t1", "华东", 3),
                rep("j3", Seniority::Junior, "t2", "华南", 8),
            ],
        }
    }

    fn lead(grade: Grade, region: Option<&str>) -> LeadTraits<'_> {
        LeadTraits { grade, source: None, region, industry: None }
    }

    fn rule(to: Target) -> Rule {
        Rule {
            name: String::new(),
            regions: Vec::new(),
            industries: Vec::new(),
            sources: Vec::new(),
            grades: Vec::new(),
            to,
        }
    }

    fn picked(rules: &AssignmentRules, lead: &LeadTraits<'_>, pool: &Pool) -> Option<(String, Option<usize>)> {
        assign(rules, lead, pool).map(|a| (a.rep.candidate.key.clone(), a.rule))
    }

    #[test]
    fn a_region_rule_sends_south_china_leads_to_its_team() {
        let rules =
            AssignmentRules { rules: vec![Rule { regions: vec!["华南".into()], ..rule(Target::Team("t2".into())) }] };
        assert_eq!(picked(&rules, &lead(Grade::B, Some("华南")), &pool()), Some(("j3".into(), Some(0))));
        assert_eq!(picked(&rules, &lead(Grade::B, Some("华东")), &pool()), Some(("j1".into(), None)));
        assert_eq!(picked(&rules, &lead(Grade::B, None), &pool()), Some(("j1".into(), None)));
    }

    #[test]
    fn a_rep_at_capacity_is_skipped_and_the_default_rules_place_the_lead() {
        let mut pool = pool();
        pool.candidates[0].max_open_leads = Some(5);
        let rules = AssignmentRules { rules: vec![Rule { grades: vec![Grade::S], ..rule(Target::Rep("m1".into())) }] };
        assert_eq!(picked(&rules, &lead(Grade::S, None), &pool), Some(("s1".into(), None)));
        pool.candidates[0].max_open_leads = Some(6);
        assert_eq!(picked(&rules, &lead(Grade::S, None), &pool), Some(("m1".into(), Some(0))));
    }

    #[test]
    fn an_inactive_rep_never_receives_a_lead() {
        let mut pool = pool();
        pool.candidates[3].active = false;
        let rules = AssignmentRules { rules: vec![rule(Target::Rep("j3".into())), rule(Target::Team("t2".into()))] };
        let leads: Vec<LeadTraits<'_>> =
            Grade::ALL.iter().flat_map(|g| [lead(*g, Some("华南")), lead(*g, None)]).collect();
        let placed = dry_run(&rules, &leads, &pool, Utc::now());
        assert_eq!(placed.len(), 8);
        assert!(placed.iter().all(|p| p.as_ref().is_some_and(|(key, rule)| key != "j3" && rule.is_none())));
        pool.candidates.iter_mut().for_each(|r| r.active = false);
        assert_eq!(picked(&rules, &lead(Grade::C, None), &pool), None);
    }

    #[test]
    fn a_dry_run_spreads_leads_round_robin_among_equal_juniors() {
        let now = Utc::now();
        let mut r1 = rep("r1", Seniority::Junior, "t1", "华东", 0);
        r1.candidate.last_assigned_at = Some(now - Duration::days(1));
        let pool = Pool { candidates: vec![r1, rep("r2", Seniority::Junior, "t1", "华东", 0)] };
        let leads = [lead(Grade::C, None); 4];
        let keys: Vec<String> = dry_run(&AssignmentRules::default(), &leads, &pool, now)
            .into_iter()
            .map(|p| p.map(|(key, _)| key).unwrap_or_default())
            .collect();
        assert_eq!(keys, ["r2", "r1", "r2", "r1"]);
    }

    #[test]
    fn without_rules_the_default_assignment_decides() {
        let pool = pool();
        let candidates: Vec<Candidate> = pool.candidates.iter().map(|r| r.candidate.clone()).collect();
        for grade in Grade::ALL {
            for region in [None, Some("华南"), Some("华东")] {
                let expected = assignment::assign(*grade, region, None, &candidates);
                let expected = expected.map(|c| (c.key.clone(), None::<usize>));
                assert_eq!(picked(&AssignmentRules::default(), &lead(*grade, region), &pool), expected);
            }
        }
    }

    #[test]
    fn rules_read_as_json_and_travel_the_binary_wire() {
        let json = serde_json::json!({"rules": [{"regions": ["华南"], "to": {"kind": "team", "key": "t2"}}]});
        let rules: AssignmentRules = serde_json::from_value(json).unwrap();
        assert_eq!(rules.rules[0].to, Target::Team("t2".into()));
        let back = serde_json::to_value(&rules).unwrap();
        assert_eq!(back["rules"][0]["to"], serde_json::json!({"kind": "team", "key": "t2"}));
        let bytes = postcard::to_allocvec(&rules).unwrap();
        assert_eq!(postcard::from_bytes::<AssignmentRules>(&bytes).unwrap(), rules);
    }

    #[test]
    fn a_rule_without_a_target_key_is_a_problem() {
        let team = rule(Target::Team("t1".into()));
        let rules = AssignmentRules { rules: vec![team.clone(), rule(Target::Rep(" ".into())), team] };
        let problems = validate_rules(&rules, "assignment");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "assignment.rules[1].to.key");
        assert_eq!(problems[0].code, ProblemCode::Required);
    }
}
