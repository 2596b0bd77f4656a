//! Customer value over the workspace's analytic view: every lead's recent follow-ups as of any
//! moment (one pass over the follow-ups), the closed leads the conversion potential's model is
//! fitted on, and the grades' historical win rates it stands in for before.
use super::potential::Features;
use super::{Recent, Touch};
use crate::domain::enums::{Channel, Grade, Status};
use crate::kpi::view::{AnalyticView, Instant, LeadFacts, ViewLead};

impl AnalyticView {
    /// Each lead's recent follow-ups as of the moment `at` names for it (none: not wanted),
    /// in the view's lead order.
    pub fn recent_at(&self, at: impl Fn(&ViewLead) -> Option<Instant>) -> Vec<Option<Recent>> {
        let times: Vec<Option<Instant>> = self.leads.iter().map(at).collect();
        let mut recent: Vec<Option<Recent>> = times.iter().map(|t| t.map(|_| Recent::default())).collect();
        for i in &self.interactions {
            let l = i.lead as usize;
            if let (Some(t), Some(r)) = (times[l], recent[l].as_mut()) {
                if i.occurred_at <= t {
                    r.add(&Touch {
                        occurred_at: i.occurred_at,
                        responded: i.responded,
                        inbound: i.inbound,
                        event: i.channel == Channel::Event,
                    });
                }
            }
        }
        recent
    }

    /// The closed leads as the model learns from them: each lead as it stood at the ages
    /// [`SNAPSHOT_DAYS`] it reached while still open (its activity then, its age then), and
    /// whether it was won in the end. An open lead is scored at its age now, so the model
    /// learns what became of leads that were still open at that age — not each lead's state
    /// at its close, which would see old open leads as sure wins.
    pub fn closed_for_model(&self) -> ModelRows {
        let ages: Vec<chrono::Duration> = SNAPSHOT_DAYS.iter().map(|d| chrono::Duration::days(*d)).collect();
        // Each closed lead's snapshot times, and their recent follow-ups.
        let times: Vec<Vec<Instant>> = self
            .leads
            .iter()
            .map(|l| match closed_at(&l.facts) {
                Some(closed) => ages.iter().map(|a| l.facts.created_at + *a).filter(|t| *t < closed).collect(),
                None => Vec::new(),
            })
            .collect();
        let mut recent: Vec<Vec<Recent>> = times.iter().map(|t| vec![Recent::default(); t.len()]).collect();
        for i in &self.interactions {
            let l = i.lead as usize;
            for (t, r) in times[l].iter().zip(recent[l].iter_mut()) {
                if i.occurred_at <= *t {
                    r.add(&Touch {
                        occurred_at: i.occurred_at,
                        responded: i.responded,
                        inbound: i.inbound,
                        event: i.channel == Channel::Event,
                    });
                }
            }
        }
        let mut out = ModelRows::default();
        for (n, l) in self.leads.iter().enumerate() {
            if times[n].is_empty() {
                continue;
            }
            out.leads += 1;
            let won = l.facts.status == Status::Won;
            for (t, r) in times[n].iter().zip(&recent[n]) {
                out.rows.push((features(&l.facts, r, *t).values(), won));
                out.groups.push(n as u32);
            }
        }
        out
    }

    /// How many leads are won or lost.
    pub fn closed_count(&self) -> usize {
        self.leads.iter().filter(|l| closed_at(&l.facts).is_some()).count()
    }

    /// The historical win rate of each grade: won / (won + lost) over the closed leads of the
    /// grade (none without any).
    pub fn grade_win_rates(&self) -> GradeRates {
        let mut counts = [(0u32, 0u32); 4];
        for l in &self.leads {
            let slot = &mut counts[grade_slot(l.facts.grade)];
            match l.facts.status {
                Status::Won => slot.0 += 1,
                Status::Lost => slot.1 += 1,
                _ => {}
            }
        }
        GradeRates(counts.map(|(won, lost)| (won + lost > 0).then(|| f64::from(won) / f64::from(won + lost))))
    }
}

/// What the value page reads of a lead: its recent follow-ups at the start of the comparison
/// (none when it did not exist yet) and now, and its latest follow-up of any kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueFacts {
    pub before: Option<Recent>,
    pub now: Recent,
    pub last_touch: Option<Instant>,
}

impl AnalyticView {
    /// The value facts of the leads `keep` admits (in the view's lead order), in one pass over
    /// the follow-ups: as of `before` and as of `now`.
    pub fn value_facts(
        &self,
        keep: impl Fn(&ViewLead) -> bool,
        before: Instant,
        now: Instant,
    ) -> Vec<Option<ValueFacts>> {
        let mut facts: Vec<Option<ValueFacts>> = self
            .leads
            .iter()
            .map(|l| {
                keep(l).then(|| ValueFacts {
                    before: (l.facts.created_at <= before).then(Recent::default),
                    ..ValueFacts::default()
                })
            })
            .collect();
        for i in &self.interactions {
            let Some(f) = facts[i.lead as usize].as_mut() else { continue };
            if i.occurred_at > now {
                continue;
            }
            let touch = Touch {
                occurred_at: i.occurred_at,
                responded: i.responded,
                inbound: i.inbound,
                event: i.channel == Channel::Event,
            };
            f.now.add(&touch);
            if i.occurred_at <= before {
                if let Some(b) = f.before.as_mut() {
                    b.add(&touch);
                }
            }
            f.last_touch = f.last_touch.max(Some(i.occurred_at));
        }
        facts
    }

    /// The leads in the view's order (to pair with `value_facts`).
    pub fn view_leads(&self) -> &[ViewLead] {
        &self.leads
    }
}

/// A factor of the conversion potential, named for people: `source:referral` is
/// "来源：合作伙伴推荐".
pub fn factor_label(name: &str, lang: crate::i18n::Lang) -> String {
    use crate::domain::enums::{ScorePart, Source};
    use crate::i18n::Lang;
    let zh = lang == Lang::Zh;
    if let Some(source) = name.strip_prefix("source:") {
        let s = source.parse::<Source>().map(|s| s.label(lang)).unwrap_or(source);
        return if zh { format!("来源：{s}") } else { format!("Source: {s}") };
    }
    if let Ok(part) = name.parse::<ScorePart>() {
        return part.label(lang).to_string();
    }
    match (name, zh) {
        ("activity", true) => "活跃度".into(),
        ("activity", false) => "Activity".into(),
        ("responded", true) => "客户有回应".into(),
        ("responded", false) => "Customer responded".into(),
        ("days", true) => "线索天数".into(),
        ("days", false) => "Days since created".into(),
        _ => name.to_string(),
    }
}

/// The ages (days since creation) at which a closed lead is learnt from, while it was open.
pub const SNAPSHOT_DAYS: [i64; 8] = [0, 7, 14, 30, 60, 90, 180, 365];

/// What the model is fitted on: one row per closed lead and age, the lead each row is of,
/// and how many closed leads they are.
#[derive(Debug, Clone, Default)]
pub struct ModelRows {
    pub rows: Vec<(Vec<f64>, bool)>,
    pub groups: Vec<u32>,
    pub leads: usize,
}

/// The grades' historical win rates (S, A, B, C).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GradeRates([Option<f64>; 4]);

impl GradeRates {
    pub fn of(&self, grade: Grade) -> Option<f64> {
        self.0[grade_slot(grade)]
    }
}

fn grade_slot(g: Grade) -> usize {
    match g {
        Grade::S => 0,
        Grade::A => 1,
        Grade::B => 2,
        Grade::C => 3,
    }
}

/// When a lead was won or lost (none while it is open).
pub fn closed_at(f: &LeadFacts) -> Option<Instant> {
    match f.status {
        Status::Won => f.won_at,
        Status::Lost => f.lost_at,
        _ => None,
    }
}

/// What the model reads of a lead at `at`, given its follow-ups up to then.
pub fn features(f: &LeadFacts, recent: &Recent, at: Instant) -> Features {
    let [company_size, budget_match, urgency, decision_chain] = f.parts.map(f64::from);
    Features {
        company_size,
        budget_match,
        urgency,
        decision_chain,
        source: f.source,
        activity: f64::from(recent.activity(f.created_at, at).score),
        responded: recent.responded(),
        // Past the oldest age learnt from, a lead counts as that old (the model has not seen
        // older ones to tell).
        days: (((at - f.created_at).num_seconds().max(0) as f64) / 86_400.0)
            .min(SNAPSHOT_DAYS[SNAPSHOT_DAYS.len() - 1] as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::view::tests_support::{at, follow_up, lead};
    use crate::kpi::ViewChange;

    #[test]
    fn the_model_learns_each_closed_lead_at_the_ages_it_was_still_open() {
        let mut view = AnalyticView::new();
        // Created on day 1: W won on day 11, L lost on day 21.
        view.apply(ViewChange::Lead(LeadFacts { status: Status::Won, won_at: Some(at(11)), ..lead("W") }));
        view.apply(ViewChange::Lead(LeadFacts { status: Status::Lost, lost_at: Some(at(21)), ..lead("L") }));
        view.apply(ViewChange::Lead(lead("O")));
        // W answered on day 3 and on day 10; L was called on day 5 without an answer.
        for (code, day, responded) in [("W", 3, true), ("W", 10, true), ("L", 5, false), ("O", 3, true)] {
            view.apply(ViewChange::Interaction(follow_up(code, day, responded)));
        }
        let m = view.closed_for_model();
        assert_eq!(m.leads, 2, "the open lead is not learnt from");
        // W at 0 and 7 days (not 14: it was won on day 11); L at 0, 7 and 14 days.
        assert_eq!(m.groups, [0, 0, 1, 1, 1]);
        assert_eq!(m.rows.iter().map(|r| r.1).collect::<Vec<_>>(), [true, true, false, false, false]);
        let names = Features::names();
        let value = |row: &Vec<f64>, name: &str| row[names.iter().position(|n| n == name).unwrap()];
        let (w0, w7) = (&m.rows[0].0, &m.rows[1].0);
        assert_eq!((value(w0, "activity"), value(w0, "responded"), value(w0, "days")), (0.0, 0.0, 0.0));
        // On day 8, one answer five days before: 10 + the week's 10 (day 10's is not seen yet).
        assert_eq!((value(w7, "activity"), value(w7, "responded"), value(w7, "days")), (20.0, 1.0, 7.0));
        assert_eq!(value(w7, "budget_match"), 20.0);
        assert_eq!(value(w7, "source:web_form"), 1.0);
        let l14 = &m.rows[4].0;
        assert_eq!((value(l14, "activity"), value(l14, "responded"), value(l14, "days")), (0.0, 0.0, 14.0));
        assert_eq!(view.closed_count(), 2);
        let rates = view.grade_win_rates();
        assert_eq!(rates.of(Grade::A), Some(0.5));
        assert_eq!(rates.of(Grade::S), None);
    }

    #[test]
    fn the_value_page_reads_each_lead_then_and_now_in_one_pass() {
        let mut view = AnalyticView::new();
        view.apply(ViewChange::Lead(lead("A")));
        view.apply(ViewChange::Lead(LeadFacts { created_at: at(20), ..lead("B") }));
        for (code, day) in [("A", 5), ("A", 18), ("B", 21)] {
            view.apply(ViewChange::Interaction(follow_up(code, day, true)));
        }
        let facts = view.value_facts(|_| true, at(10), at(25));
        let a = facts[0].unwrap();
        // Then: one response five days before (10 + the week's 10); now: two, the last 7 days
        // ago (20 + 10).
        assert_eq!(a.before.unwrap().activity(at(1), at(10)).score, 20);
        assert_eq!(a.now.activity(at(1), at(25)).score, 30);
        assert_eq!(a.last_touch, Some(at(18)));
        assert!(facts[1].unwrap().before.is_none(), "B did not exist yet");
        assert!(view.value_facts(|l| l.facts.code == "B", at(10), at(25))[0].is_none());
    }

    #[test]
    fn a_lead_older_than_the_oldest_age_learnt_counts_as_that_old() {
        let f = lead("A");
        let days = |d: i64| features(&f, &Recent::default(), f.created_at + chrono::Duration::days(d)).days;
        assert_eq!((days(0), days(200), days(365), days(900)), (0.0, 200.0, 365.0, 365.0));
    }

    #[test]
    fn factors_are_named_for_people() {
        use crate::i18n::Lang;
        assert_eq!(factor_label("source:referral", Lang::Zh), "来源：合作伙伴推荐");
        assert_eq!(factor_label("budget_match", Lang::En), "Budget match");
        assert_eq!(factor_label("activity", Lang::Zh), "活跃度");
        for name in Features::names() {
            assert_ne!(factor_label(&name, Lang::Zh), name, "{name} has a Chinese name");
        }
    }
}
