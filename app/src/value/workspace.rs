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

    /// The closed leads as the model learns from them: each lead's inputs as they stood when
    /// it was won or lost (its activity then, its age then), and whether it was won.
    pub fn closed_for_model(&self) -> Vec<(Vec<f64>, bool)> {
        let recent = self.recent_at(|l| closed_at(&l.facts));
        self.leads
            .iter()
            .zip(recent)
            .filter_map(|(l, r)| {
                let at = closed_at(&l.facts)?;
                Some((features(&l.facts, &r?, at).values(), l.facts.status == Status::Won))
            })
            .collect()
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
        days: ((at - f.created_at).num_seconds().max(0) as f64) / 86_400.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::view::tests_support::{at, follow_up, lead};
    use crate::kpi::ViewChange;

    #[test]
    fn the_model_learns_each_closed_lead_as_it_stood_when_it_closed() {
        let mut view = AnalyticView::new();
        view.apply(ViewChange::Lead(LeadFacts { status: Status::Won, won_at: Some(at(11)), ..lead("W") }));
        view.apply(ViewChange::Lead(LeadFacts { status: Status::Lost, lost_at: Some(at(21)), ..lead("L") }));
        view.apply(ViewChange::Lead(lead("O")));
        // W answered on day 10 (before it was won) and on day 12 (after); L never answered.
        for (code, day, responded) in [("W", 10, true), ("W", 12, true), ("L", 5, false), ("O", 3, true)] {
            view.apply(ViewChange::Interaction(follow_up(code, day, responded)));
        }
        let rows = view.closed_for_model();
        assert_eq!(rows.len(), 2, "the open lead is not learnt from");
        let names = Features::names();
        let value = |row: &Vec<f64>, name: &str| row[names.iter().position(|n| n == name).unwrap()];
        let (won, lost) = (&rows[0], &rows[1]);
        assert!(won.1 && !lost.1);
        // One response the day before it was won: 10 + the week's 10.
        assert_eq!(value(&won.0, "activity"), 20.0);
        assert_eq!(value(&won.0, "responded"), 1.0);
        assert_eq!(value(&won.0, "days"), 10.0);
        assert_eq!(value(&won.0, "budget_match"), 20.0);
        assert_eq!(value(&won.0, "source:web_form"), 1.0);
        assert_eq!((value(&lost.0, "activity"), value(&lost.0, "responded"), value(&lost.0, "days")), (0.0, 0.0, 20.0));
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
