//! Merging two leads of one customer in the analytic view (PRODUCT.md §2): the merged lead's
//! follow-ups, tasks and feedback become the surviving lead's, and the merged lead leaves
//! the view, so every KPI counts the customer once and loses none of its history.
use super::AnalyticView;

impl AnalyticView {
    /// Moves `from`'s facts onto `into` and removes `from`. Unknown codes change nothing.
    pub fn merge_leads(&mut self, from: &str, into: &str) {
        let (Some(&f), Some(&t)) = (self.by_code.get(from), self.by_code.get(into)) else { return };
        if f == t {
            return;
        }
        let merged = self.leads[f as usize].clone();
        {
            let survivor = &mut self.leads[t as usize];
            survivor.first_contact_at = match (survivor.first_contact_at, merged.first_contact_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            survivor.responded |= merged.responded;
            survivor.max_rank = survivor.max_rank.max(merged.max_rank);
        }
        self.repoint(f, t);
        // The last lead takes the merged lead's place, so indexes stay dense.
        let last = (self.leads.len() - 1) as u32;
        self.leads.swap_remove(f as usize);
        self.by_code.remove(from);
        if f != last {
            let moved = self.leads[f as usize].facts.code.clone();
            self.by_code.insert(moved, f);
            self.repoint(last, f);
        }
    }

    /// Points every fact of lead `from` at lead `to`.
    fn repoint(&mut self, from: u32, to: u32) {
        for i in self.interactions.iter_mut().filter(|i| i.lead == from) {
            i.lead = to;
        }
        for t in self.tasks.iter_mut().filter(|t| t.lead == from) {
            t.lead = to;
        }
        for x in self.feedback.iter_mut().filter(|x| x.lead == from) {
            x.lead = to;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kpi::view::tests_support::*;

    #[test]
    fn a_merge_keeps_every_follow_up_and_counts_the_customer_once() {
        let mut view = three_leads_with_history();
        let before_interactions = view.interaction_count();
        view.merge_leads("L1", "L2");
        assert_eq!(view.lead_count(), 2);
        assert!(view.lead("L1").is_none());
        assert_eq!(view.interaction_count(), before_interactions);
        // L1's two follow-ups and L2's one now all belong to L2; L3 (moved into L1's slot)
        // keeps its own.
        assert_eq!(interactions_of(&view, "L2"), 3);
        assert_eq!(interactions_of(&view, "L3"), 1);
        assert!(view.lead("L2").unwrap().responded);
        view.merge_leads("L404", "L2");
        assert_eq!(view.lead_count(), 2);
    }
}
