//! The in-memory lead index: every lead's board card and the text its list search looks in,
//! kept beside the analytic view so the board and every page of the lead list of a
//! 100,000-lead workspace answer without scanning the database. It follows every committed
//! change the same way the view does (`AppState::apply`).
use crate::domain::board::BoardCard;
use crate::domain::duplicates::{DupGroup, DupKeys, Reason};
use crate::domain::lead::{Cursor, Lead, LeadFilter};
use crate::kpi::TaskFacts;
use crate::ssr::actor::Actor;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone)]
struct Entry {
    card: BoardCard,
    /// Company, code, contact name, phone, e-mail and need, lower-cased, for the list's
    /// text search.
    text: String,
    /// Phone, e-mail and company name as duplicates are compared.
    dup: DupKeys,
    /// The first outbound follow-up (the response SLA's clock stops there).
    first_contact_at: Option<DateTime<Utc>>,
    /// The lead's open tasks (not done, not dropped): kept with the lead, so My day and the
    /// task lists go through the leads without a lookup a task.
    tasks: Vec<TaskFacts>,
    /// What the score review reads.
    score: ScoreFacts,
    /// Which of its open tasks stand in their owners' and its team's days
    /// (`LeadIndex::owner_day`, `LeadIndex::team_day`).
    day: Vec<DayKey>,
    /// The follow-ups its activity score can still count (PRODUCT.md §8).
    recent: crate::value::Recent,
}

/// A lead's score as the score review reads it: the parts, when it last changed, the score a
/// manager last reviewed, and the parts a manager overrode.
#[derive(Debug, Clone)]
pub struct ScoreFacts {
    pub score: crate::scoring::Score,
    pub scored_at: DateTime<Utc>,
    pub review: Option<crate::domain::lead::ScoreReview>,
    pub overridden: Vec<crate::domain::enums::ScorePart>,
}

impl ScoreFacts {
    fn of(lead: &Lead) -> ScoreFacts {
        ScoreFacts {
            score: lead.score,
            scored_at: lead.scored_at.unwrap_or(lead.created_at),
            review: lead.score_review.clone(),
            overridden: lead.overrides.iter().map(|o| o.part).collect(),
        }
    }
}

/// A task in its owner's day, with what the day reads of it: the task itself and, for a
/// lead's follow-up, when the others of its owner on that lead are due (in order).
#[derive(Debug, Clone)]
struct DayItem {
    task: TaskFacts,
    others_due: Vec<DateTime<Utc>>,
}

/// Where a task stands in the days: its owner, its lead's team, and its place in both
/// (when it reminds, its id).
#[derive(Debug, Clone)]
struct DayKey {
    owner: String,
    team: Option<String>,
    at: DateTime<Utc>,
    id: String,
}

/// Whose day is read: one owner's, the tasks on some teams' leads and those held by one
/// person, or everyone's.
#[derive(Debug, Clone, Copy)]
pub enum DayScope<'a> {
    Owner(&'a str),
    Teams { teams: &'a [String], holder: Option<&'a str> },
    All,
}

type Day = BTreeMap<(DateTime<Utc>, String), DayItem>;

#[derive(Debug, Default, Clone)]
pub struct LeadIndex {
    entries: HashMap<String, Entry>,
    /// The leads holding each duplicate key, to flag a new lead's duplicates at once.
    by_key: HashMap<(Reason, String), BTreeSet<String>>,
    /// The lead of every open task, by the task's id.
    task_lead: HashMap<String, String>,
    /// The open tasks of each owner (their ids): a rep's day without a pass over every lead.
    owner_tasks: HashMap<String, BTreeSet<(DateTime<Utc>, String)>>,
    /// What each owner has to do, by the time each task reminds them (its reminder, else
    /// when it is due): their open tasks, less the cadence's on
    /// closed leads, with one follow-up task a lead (its most overdue: one follow-up logged
    /// closes them all). A manager's day reads a few thousand rows, not the tens of thousands
    /// of follow-ups missed over the years.
    owner_day: HashMap<String, Day>,
    /// The same tasks by their leads' teams: a manager's day reads their teams' alone.
    team_day: HashMap<String, Day>,
    /// Every piece of feedback by id: the feedback pages and their stats read them.
    feedback: HashMap<String, crate::domain::feedback::Feedback>,
    /// Every status change by when it happened (and the order it was followed in): a week's
    /// changes are read without a query over the whole history.
    moves: BTreeMap<(DateTime<Utc>, u64), StageMove>,
    moves_seen: u64,
    /// Every lead by creation time and code: a page of the list walks them newest first from
    /// its cursor and stops when the page is full.
    newest: BTreeSet<(DateTime<Utc>, String)>,
}

/// A lead's status change, as the weekly report lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct StageMove {
    pub lead: String,
    pub from: Option<crate::domain::enums::Status>,
    pub to: crate::domain::enums::Status,
}

fn dup_keys(lead: &Lead) -> DupKeys {
    let p = &lead.profile;
    DupKeys::of(p.phone.as_deref(), p.email.as_deref(), p.company.as_deref())
}

fn each_key(k: &DupKeys) -> impl Iterator<Item = (Reason, &String)> {
    [(Reason::Phone, &k.phone), (Reason::Email, &k.email), (Reason::Company, &k.company)]
        .into_iter()
        .filter_map(|(r, v)| v.as_ref().map(|v| (r, v)))
}

/// What the list's text search looks in.
pub fn search_text(lead: &Lead) -> String {
    let p = &lead.profile;
    [
        p.company.as_deref(),
        Some(lead.code.as_str()),
        p.contact_name.as_deref(),
        p.phone.as_deref(),
        p.email.as_deref(),
        p.need.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
    .to_lowercase()
}

impl LeadIndex {
    /// Indexes a lead as it now stands.
    pub fn upsert_lead(&mut self, lead: &Lead) {
        let dup = dup_keys(lead);
        // A move or a follow-up leaves the contact details as they were: only the card and
        // the search text change.
        if let Some(entry) = self.entries.get_mut(&lead.code).filter(|e| e.dup == dup) {
            // Closed or reopened, or on another team: its tasks' place in the days changes.
            let redo_day = entry.card.status.is_closed() != lead.status.is_closed() || entry.card.team != lead.team;
            if entry.card.created_at != lead.created_at {
                self.newest.remove(&(entry.card.created_at, lead.code.clone()));
                self.newest.insert((lead.created_at, lead.code.clone()));
            }
            entry.card = BoardCard::of_lead(lead);
            entry.text = search_text(lead);
            entry.first_contact_at = lead.first_contact_at;
            entry.score = ScoreFacts::of(lead);
            if redo_day {
                self.index_day(&lead.code);
            }
            return;
        }
        let (tasks, day, recent) = self.take(&lead.code).map(|e| (e.tasks, e.day, e.recent)).unwrap_or_default();
        for (reason, key) in each_key(&dup) {
            self.by_key.entry((reason, key.clone())).or_default().insert(lead.code.clone());
        }
        let entry = Entry {
            card: BoardCard::of_lead(lead),
            text: search_text(lead),
            dup,
            first_contact_at: lead.first_contact_at,
            tasks,
            score: ScoreFacts::of(lead),
            day,
            recent,
        };
        self.newest.insert((lead.created_at, lead.code.clone()));
        self.entries.insert(lead.code.clone(), entry);
        self.index_day(&lead.code);
    }

    /// Takes a lead out (merged into another), with its open tasks.
    pub fn remove(&mut self, code: &str) -> Option<BoardCard> {
        let entry = self.take(code)?;
        self.forget_day(&entry.day);
        for t in &entry.tasks {
            self.task_lead.remove(&t.id);
            if let Some(ids) = t.owner.as_ref().and_then(|o| self.owner_tasks.get_mut(o)) {
                ids.remove(&(t.due_at, t.id.clone()));
            }
        }
        Some(entry.card)
    }

    /// Takes a lead's entry out of the index and its duplicate keys (its tasks' ids stay
    /// mapped to it: the caller puts it back or forgets them).
    fn take(&mut self, code: &str) -> Option<Entry> {
        let entry = self.entries.remove(code)?;
        self.newest.remove(&(entry.card.created_at, code.to_string()));
        for (reason, key) in each_key(&entry.dup) {
            if let Some(codes) = self.by_key.get_mut(&(reason, key.clone())) {
                codes.remove(code);
                if codes.is_empty() {
                    self.by_key.remove(&(reason, key.clone()));
                }
            }
        }
        Some(entry)
    }

    /// Follows a task: an open one is kept with its lead, a done or dropped one let go.
    pub fn follow_task(&mut self, task: &TaskFacts) {
        if let Some(moved_from) = self.place_task(task) {
            self.index_day(&moved_from);
        }
        self.index_day(&task.lead);
    }

    /// Follows many tasks at once (the start-up's every task, an import's): each lead's day
    /// is made once, after all of its tasks are in.
    pub fn follow_tasks<'a>(&mut self, tasks: impl IntoIterator<Item = &'a TaskFacts>) {
        let mut leads = std::collections::HashSet::new();
        self.place_tasks(tasks, &mut leads);
        self.index_days(leads);
    }

    /// [`follow_tasks`](Self::follow_tasks) in parts (the views' load): places the tasks and
    /// adds their leads to `leads`, whose days [`index_days`](Self::index_days) then puts
    /// together once.
    pub fn place_tasks<'a>(
        &mut self,
        tasks: impl IntoIterator<Item = &'a TaskFacts>,
        leads: &mut std::collections::HashSet<String>,
    ) {
        for task in tasks {
            // The lead a task left is done at once: done later, it would take out of the days
            // the task its new lead has put there.
            if let Some(from) = self.place_task(task) {
                self.index_day(&from);
            }
            if !leads.contains(&task.lead) {
                leads.insert(task.lead.clone());
            }
        }
    }

    /// Puts together the days of leads whose tasks were placed.
    pub fn index_days(&mut self, leads: std::collections::HashSet<String>) {
        for lead in &leads {
            self.index_day(lead);
        }
    }

    /// Keeps an open task with its lead and its owner, or lets a done or dropped one go; the
    /// lead it was with before, when it moved to another.
    fn place_task(&mut self, task: &TaskFacts) -> Option<String> {
        let mut moved_from = None;
        if let Some(lead) = self.task_lead.remove(&task.id) {
            if let Some(e) = self.entries.get_mut(&lead) {
                if let Some(old) = e.tasks.iter().position(|t| t.id == task.id) {
                    let old = e.tasks.swap_remove(old);
                    if let Some(ids) = old.owner.as_ref().and_then(|o| self.owner_tasks.get_mut(o)) {
                        ids.remove(&(old.due_at, old.id));
                    }
                }
            }
            if lead != task.lead {
                moved_from = Some(lead);
            }
        }
        if task.is_open() {
            if let Some(e) = self.entries.get_mut(&task.lead) {
                e.tasks.push(task.clone());
                self.task_lead.insert(task.id.clone(), task.lead.clone());
                if let Some(o) = &task.owner {
                    self.owner_tasks.entry(o.clone()).or_default().insert((task.due_at, task.id.clone()));
                }
            }
        }
        moved_from
    }

    /// Takes entries out of the days.
    fn forget_day(&mut self, day: &[DayKey]) {
        for k in day {
            let key = (k.at, k.id.clone());
            if let Some(items) = self.owner_day.get_mut(&k.owner) {
                items.remove(&key);
            }
            if let Some(items) = k.team.as_ref().and_then(|t| self.team_day.get_mut(t)) {
                items.remove(&key);
            }
        }
    }

    /// Puts a lead's open tasks in their owners' and its team's days afresh: every one, less
    /// the cadence's once the lead is closed, and of its follow-up tasks only each owner's
    /// most overdue.
    fn index_day(&mut self, code: &str) {
        let Some(old) = self.entries.get_mut(code).map(|e| std::mem::take(&mut e.day)) else { return };
        self.forget_day(&old);
        let Some(e) = self.entries.get_mut(code) else { return };
        let closed = e.card.status.is_closed();
        let mut items: Vec<DayItem> = Vec::new();
        for t in &e.tasks {
            if t.owner.is_none() || (closed && t.kind.ends_with_lead()) {
                continue;
            }
            let head = (t.kind == crate::domain::enums::TaskKind::FollowUp)
                .then(|| items.iter_mut().find(|i| i.task.kind == t.kind && i.task.owner == t.owner))
                .flatten();
            match head {
                Some(head) if (t.due_at, &t.id) < (head.task.due_at, &head.task.id) => {
                    let was = std::mem::replace(&mut head.task, t.clone());
                    head.others_due.push(was.due_at);
                }
                Some(head) => head.others_due.push(t.due_at),
                None => items.push(DayItem { task: t.clone(), others_due: Vec::new() }),
            }
        }
        let mut day = Vec::with_capacity(items.len());
        for mut item in items {
            item.others_due.sort_unstable();
            let key = DayKey {
                owner: item.task.owner.clone().unwrap_or_default(),
                team: e.card.team.clone(),
                at: item.task.alert_at(),
                id: item.task.id.clone(),
            };
            if let Some(team) = &key.team {
                self.team_day.entry(team.clone()).or_default().insert((key.at, key.id.clone()), item.clone());
            }
            self.owner_day.entry(key.owner.clone()).or_default().insert((key.at, key.id.clone()), item);
            day.push(key);
        }
        e.day = day;
    }

    /// What reminds before `before` in `scope` (due by then, or with a reminder by then): the
    /// tasks with their leads' cards and, for a lead's follow-up task, how many more of its
    /// owner's follow-ups on that lead are due with it.
    pub fn day(&self, scope: DayScope, before: DateTime<Utc>) -> Vec<(&TaskFacts, &BoardCard, usize)> {
        // (a day, and whether its items on these teams' leads were read already)
        let mut days: Vec<(&Day, Option<&[String]>)> = Vec::new();
        match scope {
            DayScope::Owner(o) => days.extend(self.owner_day.get(o).map(|d| (d, None))),
            DayScope::All => days.extend(self.owner_day.values().map(|d| (d, None))),
            DayScope::Teams { teams, holder } => {
                let mut seen: Vec<&String> = Vec::new();
                for t in teams {
                    if !seen.contains(&t) {
                        seen.push(t);
                        days.extend(self.team_day.get(t).map(|d| (d, None)));
                    }
                }
                days.extend(holder.and_then(|h| self.owner_day.get(h)).map(|d| (d, Some(teams))));
            }
        }
        let mut found = Vec::new();
        for (day, skip) in days {
            for item in day.range(..(before, String::new())).map(|(_, item)| item) {
                let Some(e) = self.entries.get(&item.task.lead) else { continue };
                if skip.is_some_and(|teams| e.card.team.as_ref().is_some_and(|t| teams.contains(t))) {
                    continue;
                }
                found.push((&item.task, &e.card, item.others_due.partition_point(|d| *d < before)));
            }
        }
        found
    }

    /// The first moment at or after `from` when one of `owner`'s tasks reminds them.
    pub fn next_alert(&self, owner: &str, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.owner_day.get(owner)?.range((from, String::new())..).next().map(|((at, _), _)| *at)
    }

    /// The open tasks of one owner with their leads' cards, for which `keep` holds.
    pub fn owner_tasks_where(
        &self,
        owner: &str,
        due_before: Option<DateTime<Utc>>,
        mut keep: impl FnMut(&TaskFacts, &BoardCard) -> bool,
    ) -> Vec<(&TaskFacts, &BoardCard)> {
        // By due time: a day's list reads only what is due by then, not every open task the
        // owner holds (tens of thousands for a manager with missed follow-ups).
        use std::ops::Bound;
        let Some(ids) = self.owner_tasks.get(owner) else { return Vec::new() };
        let end = due_before.map_or(Bound::Unbounded, |before| Bound::Excluded((before, String::new())));
        ids.range((Bound::Unbounded, end))
            .filter_map(|(_, id)| {
                let e = self.entries.get(self.task_lead.get(id)?)?;
                e.tasks.iter().find(|t| &t.id == id).map(|t| (t, &e.card))
            })
            .filter(|(t, card)| keep(t, card))
            .collect()
    }

    /// Follows the tasks among committed changes: tasks planned, done or dropped, and a
    /// merged lead's tasks and feedback now on the survivor.
    pub fn follow_changes(&mut self, changes: &[crate::kpi::ViewChange]) {
        use crate::kpi::ViewChange;
        // Each lead's day is made once, after every change is in.
        let mut leads: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for change in changes {
            match change {
                ViewChange::Task(t) => {
                    if let Some(from) = self.place_task(t) {
                        self.index_day(&from);
                    }
                    leads.insert(&t.lead);
                }
                ViewChange::Merge { from, into } => {
                    let moved = self.entries.get_mut(from).map(|e| std::mem::take(&mut e.tasks)).unwrap_or_default();
                    // The merged lead's day goes at once, before its tasks join the other's.
                    self.index_day(from);
                    for mut t in moved {
                        t.lead = into.clone();
                        self.task_lead.remove(&t.id);
                        self.place_task(&t);
                    }
                    leads.insert(into.as_str());
                    for f in self.feedback.values_mut().filter(|f| &f.lead == from) {
                        f.lead = into.clone();
                    }
                    // Its status changes are the survivor's now, as in the database.
                    for m in self.moves.values_mut().filter(|m| &m.lead == from) {
                        m.lead = into.clone();
                    }
                    let merged = self.entries.get(from).map(|e| e.recent);
                    if let (Some(merged), Some(survivor)) = (merged, self.entries.get_mut(into)) {
                        survivor.recent.absorb(&merged);
                    }
                }
                ViewChange::Interaction(i) => self.touch(i),
                ViewChange::StageChange { lead, from, to, at } => self.record_move(lead, *from, *to, *at),
                _ => {}
            }
        }
        for lead in leads {
            self.index_day(lead);
        }
    }

    /// Keeps a status change with the time it happened.
    pub fn record_move(
        &mut self,
        lead: &str,
        from: Option<crate::domain::enums::Status>,
        to: crate::domain::enums::Status,
        at: DateTime<Utc>,
    ) {
        self.moves_seen += 1;
        self.moves.insert((at, self.moves_seen), StageMove { lead: lead.to_string(), from, to });
    }

    /// The status changes in `[from, to)`, in the order they happened.
    pub fn moves_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = (DateTime<Utc>, &StageMove)> {
        self.moves.range((from, 0)..(to, 0)).map(|(&(at, _), m)| (at, m))
    }

    /// Counts a follow-up in its lead's activity.
    pub fn touch(&mut self, i: &crate::kpi::InteractionFacts) {
        if let Some(e) = self.entries.get_mut(&i.lead) {
            e.recent.add(&crate::value::Touch {
                occurred_at: i.occurred_at,
                responded: i.responded,
                inbound: i.direction == crate::domain::enums::Direction::Inbound,
                event: i.channel == crate::domain::enums::Channel::Event,
            });
        }
    }

    /// The follow-ups a lead's activity can still count.
    pub fn recent(&self, code: &str) -> Option<crate::value::Recent> {
        self.entries.get(code).map(|e| e.recent)
    }

    /// A lead's activity score and tier at `now`.
    pub fn activity(&self, code: &str, now: DateTime<Utc>) -> Option<crate::value::Activity> {
        self.entries.get(code).map(|e| e.recent.activity(e.card.created_at, now))
    }

    /// Puts each card's activity tier at `now` on it (the board's cards as they are
    /// answered: a tier drifts with time, so it is read, not kept).
    pub fn with_tiers<'a>(&self, cards: impl IntoIterator<Item = &'a mut BoardCard>, now: DateTime<Utc>) {
        for card in cards {
            card.tier = self.activity(&card.code, now).map(|a| a.tier);
        }
    }

    /// Keeps a piece of feedback as it now stands.
    pub fn put_feedback(&mut self, f: crate::domain::feedback::Feedback) {
        self.feedback.insert(f.id.clone(), f);
    }

    /// Every piece of feedback for which `first` holds and, with its lead's card, `keep`.
    pub fn feedback_where(
        &self,
        mut first: impl FnMut(&crate::domain::feedback::Feedback) -> bool,
        mut keep: impl FnMut(&crate::domain::feedback::Feedback, &BoardCard) -> bool,
    ) -> Vec<&crate::domain::feedback::Feedback> {
        // What the feedback alone decides comes first: most is left out before its lead is
        // looked up.
        self.feedback
            .values()
            .filter(|f| first(f) && self.entries.get(&f.lead).is_some_and(|e| keep(f, &e.card)))
            .collect()
    }

    /// A piece of feedback, by id.
    pub fn feedback(&self, id: &str) -> Option<&crate::domain::feedback::Feedback> {
        self.feedback.get(id)
    }

    /// Forgets every piece of feedback (before reading them all again).
    pub fn clear_feedback(&mut self) {
        self.feedback.clear();
    }

    /// An open task, by id.
    pub fn open_task(&self, id: &str) -> Option<&TaskFacts> {
        let lead = self.task_lead.get(id)?;
        self.entries.get(lead)?.tasks.iter().find(|t| t.id == id)
    }

    /// Every lead's card with its score's facts, for which `keep` holds.
    pub fn scores_where(
        &self,
        mut keep: impl FnMut(&BoardCard, &ScoreFacts) -> bool,
    ) -> Vec<(&BoardCard, &ScoreFacts)> {
        self.entries.values().map(|e| (&e.card, &e.score)).filter(|(card, s)| keep(card, s)).collect()
    }

    /// A lead's open tasks.
    pub fn open_tasks_of(&self, code: &str) -> Vec<TaskFacts> {
        self.entries.get(code).map(|e| e.tasks.clone()).unwrap_or_default()
    }

    /// The cards of the leads for which `keep` holds, given each lead's open tasks.
    pub fn cards_with_tasks(&self, mut keep: impl FnMut(&BoardCard, &[TaskFacts]) -> bool) -> Vec<&BoardCard> {
        self.entries.values().filter(|e| keep(&e.card, &e.tasks)).map(|e| &e.card).collect()
    }

    /// Every open task with its lead's card, for which `keep` holds, given what `of_lead` says
    /// of the lead: worked out once a lead, not once a task (whether the user may see a lead
    /// is the costly part of a pass over every open task).
    pub fn open_tasks_where<V: Copy>(
        &self,
        mut of_lead: impl FnMut(&BoardCard) -> V,
        mut keep: impl FnMut(&TaskFacts, &BoardCard, V) -> bool,
    ) -> Vec<(&TaskFacts, &BoardCard)> {
        let mut found = Vec::new();
        for e in self.entries.values().filter(|e| !e.tasks.is_empty()) {
            let verdict = of_lead(&e.card);
            found.extend(e.tasks.iter().filter(|t| keep(t, &e.card, verdict)).map(|t| (t, &e.card)));
        }
        found
    }

    /// Visits every lead's card with its first outbound follow-up and its score's facts (one
    /// pass answers several lists: a pass in memory order beats looking up a team's leads one
    /// by one).
    pub fn for_each<'a>(&'a self, mut visit: impl FnMut(&'a BoardCard, Option<DateTime<Utc>>, &'a ScoreFacts)) {
        for e in self.entries.values() {
            visit(&e.card, e.first_contact_at, &e.score);
        }
    }

    /// Every lead's card with its first outbound follow-up, for which `keep` holds.
    pub fn cards_where(
        &self,
        mut keep: impl FnMut(&BoardCard, Option<DateTime<Utc>>) -> bool,
    ) -> Vec<(&BoardCard, Option<DateTime<Utc>>)> {
        self.entries
            .values()
            .map(|e| (&e.card, e.first_contact_at))
            .filter(|(card, first)| keep(card, *first))
            .collect()
    }

    /// The leads sharing a phone, an e-mail or a company name with `keys` (all leads, whoever
    /// may see them: callers scope), with the reasons, by code.
    pub fn duplicates_of(&self, keys: &DupKeys, except: Option<&str>) -> Vec<(String, Vec<Reason>)> {
        let mut found: std::collections::BTreeMap<String, Vec<Reason>> = Default::default();
        for (reason, key) in each_key(keys) {
            for code in self.by_key.get(&(reason, key.clone())).into_iter().flatten() {
                if Some(code.as_str()) != except {
                    found.entry(code.clone()).or_default().push(reason);
                }
            }
        }
        found.into_iter().collect()
    }

    /// The groups of duplicates among the leads `actor` may see.
    pub fn duplicate_groups(&self, actor: &Actor) -> Vec<DupGroup> {
        crate::domain::duplicates::groups(
            self.entries
                .iter()
                .filter(|(_, e)| actor.can_see(e.card.owner.as_deref(), e.card.team.as_deref()))
                .filter(|(_, e)| {
                    // Only leads that share a key with another are looked at.
                    each_key(&e.dup).any(|(r, k)| self.by_key.get(&(r, k.clone())).is_some_and(|c| c.len() > 1))
                })
                .map(|(code, e)| (code.as_str(), &e.dup)),
        )
    }

    /// Every lead the actor may see under `filter`, newest first (exports read them whole).
    pub fn visible_codes(&self, actor: &Actor, filter: &LeadFilter) -> Vec<String> {
        self.page(actor, filter, self.entries.len().max(1), None).0
    }

    pub fn get(&self, code: &str) -> Option<&BoardCard> {
        self.entries.get(code).map(|e| &e.card)
    }

    pub fn cards(&self) -> impl Iterator<Item = &BoardCard> {
        self.entries.values().map(|e| &e.card)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The codes of one page of the leads `actor` may see that match `filter`, newest first
    /// (by creation time, then code), after `after`; and where the next page starts.
    pub fn page(
        &self,
        actor: &Actor,
        filter: &LeadFilter,
        limit: usize,
        after: Option<&Cursor>,
    ) -> (Vec<String>, Option<Cursor>) {
        self.page_walking(actor, filter, limit, after, 4_000)
    }

    /// [`LeadIndex::page`], walking at most `walk` leads in order before filtering the rest.
    fn page_walking(
        &self,
        actor: &Actor,
        filter: &LeadFilter,
        limit: usize,
        after: Option<&Cursor>,
        walk: usize,
    ) -> (Vec<String>, Option<Cursor>) {
        let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_lowercase);
        let now = Utc::now();
        let matches = |e: &Entry| {
            let c = &e.card;
            actor.can_see(c.owner.as_deref(), c.team.as_deref())
                && filter.status.is_none_or(|s| s == c.status)
                && filter.grade.is_none_or(|g| g == c.grade)
                && filter.source.is_none_or(|s| Some(s) == c.source)
                && filter.owner.as_ref().is_none_or(|o| c.owner.as_ref() == Some(o))
                && filter.team.as_ref().is_none_or(|t| c.team.as_ref() == Some(t))
                && filter.tag.as_ref().is_none_or(|t| c.tags.contains(t))
                && q.as_deref().is_none_or(|q| e.text.contains(q))
                && filter.tier.is_none_or(|t| e.recent.activity(c.created_at, now).tier == t)
        };
        use std::ops::Bound;
        let upto = match after {
            None => Bound::Unbounded,
            Some(a) => Bound::Excluded((a.created_at, a.code.clone())),
        };
        // Newest first from the cursor: the page and the first lead of the next. A filter few
        // leads match would walk the whole index one lookup a lead, so after `walk` leads the
        // rest is filtered in one pass over the entries instead and only its newest ordered.
        let mut hits: Vec<&BoardCard> = Vec::with_capacity(limit + 1);
        let mut walked = 0;
        let mut older = self.newest.range((Bound::Unbounded, upto)).rev();
        let resume = loop {
            if walked == walk {
                break older.next().cloned();
            }
            let Some((_, code)) = older.next() else { break None };
            walked += 1;
            if let Some(e) = self.entries.get(code).filter(|e| matches(e)) {
                hits.push(&e.card);
                if hits.len() > limit {
                    break None;
                }
            }
        };
        if let Some(from) = resume {
            fn key(c: &BoardCard) -> (DateTime<Utc>, &str) {
                (c.created_at, c.code.as_str())
            }
            let upto = (from.0, from.1.as_str());
            let rest: Vec<&BoardCard> =
                self.entries.values().filter(|e| key(&e.card) <= upto && matches(e)).map(|e| &e.card).collect();
            hits.extend(crate::order::first_by(rest, limit + 1 - hits.len(), |a, b| key(b).cmp(&key(a))));
        }
        let next = (hits.len() > limit)
            .then(|| Cursor { created_at: hits[limit - 1].created_at, code: hits[limit - 1].code.clone() });
        hits.truncate(limit);
        (hits.into_iter().map(|c| c.code.clone()).collect(), next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::{Grade, Role, Source, Status};
    use chrono::{Duration, TimeZone, Utc};

    fn lead(n: i64, owner: &str, team: &str, company: &str) -> Lead {
        let mut l: Lead = serde_json::from_value(serde_json::json!({
            "code": format!("LX2026{n:05}"), "source": if n % 2 == 0 { "web_form" } else { "referral" },
            "company": company, "contact_name": "李娜", "phone": format!("1380000{n:04}"),
            "owner": owner, "team": team, "created_at": "2026-01-01T00:00:00Z",
            "status": "new", "status_since": "2026-01-01T00:00:00Z",
            "score": {"company_size": 0, "budget_match": 0, "urgency": 0, "decision_chain": 0, "total": 0, "grade": "C"},
            "grade": "C", "version": 1
        }))
        .expect("a lead");
        l.created_at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::hours(n % 7);
        l
    }

    fn index() -> LeadIndex {
        let mut i = LeadIndex::default();
        for n in 0..40 {
            let (owner, team) = if n % 3 == 0 { ("r12", "t1") } else { ("r22", "t2") };
            i.upsert_lead(&lead(n, owner, team, &format!("华信科技{n}号有限公司")));
        }
        i
    }

    fn actor(role: Role) -> Actor {
        Actor { user: "u".into(), name: "u".into(), role, rep: Some("r12".into()), teams: vec!["t1".into()] }
    }

    #[test]
    fn open_tasks_stay_with_their_lead_and_owner_follow_a_merge_and_leave_when_done() {
        use crate::domain::enums::TaskKind;
        use crate::kpi::ViewChange;
        let mut i = index();
        let due = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        let task = |id: &str, lead: i64, owner: &str| {
            TaskFacts::planned(id.into(), format!("LX2026{lead:05}"), TaskKind::FollowUp, due, Some(owner.into()))
        };
        i.follow_task(&task("a", 0, "r12"));
        i.follow_task(&task("b", 1, "r22"));
        i.follow_task(&task("c", 3, "r12"));
        let ids = |found: Vec<(&TaskFacts, &BoardCard)>| {
            let mut ids: Vec<String> = found.into_iter().map(|(t, _)| t.id.clone()).collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(i.owner_tasks_where("r12", None, |_, _| true)), ["a", "c"]);
        assert_eq!(ids(i.open_tasks_where(|card| card.team.as_deref() == Some("t2"), |_, _, t2| t2)), ["b"]);
        // A new contact detail re-keys the lead's entry: its tasks stay.
        let mut changed = lead(0, "r12", "t1", "华信科技0号有限公司");
        changed.profile.phone = Some("13912345678".into());
        changed.version = 2;
        i.upsert_lead(&changed);
        let of = |i: &LeadIndex, code: &str| i.open_tasks_where(|_| (), |t, _, _| t.lead == code).len();
        assert_eq!(of(&i, "LX202600000"), 1);
        // Merged into lead 3: lead 0's task is lead 3's now; done, it leaves.
        i.follow_changes(&[ViewChange::Merge { from: "LX202600000".into(), into: "LX202600003".into() }]);
        i.remove("LX202600000");
        assert_eq!(of(&i, "LX202600003"), 2);
        assert_eq!(i.open_task("a").map(|t| t.lead.as_str()), Some("LX202600003"));
        i.follow_task(&TaskFacts { done_at: Some(due), ..task("a", 3, "r12") });
        assert_eq!(ids(i.owner_tasks_where("r12", None, |_, _| true)), ["c"]);
        assert!(i.open_task("a").is_none());
        // An owner's day reads only what is due by then; a rescheduled task moves in the order.
        let later = due + chrono::Duration::days(2);
        i.follow_task(&TaskFacts { due_at: later, ..task("c", 3, "r12") });
        assert!(i.owner_tasks_where("r12", Some(due + chrono::Duration::days(1)), |_, _| true).is_empty());
        assert_eq!(ids(i.owner_tasks_where("r12", Some(later + chrono::Duration::days(1)), |_, _| true)), ["c"]);
    }

    #[test]
    fn an_owners_day_holds_one_follow_up_a_lead_and_none_of_a_closed_leads_cadence() {
        use crate::domain::enums::TaskKind;
        let mut i = index();
        let day = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        let task = |id: &str, lead: i64, kind: TaskKind, days_ago: i64| {
            TaskFacts::planned(
                id.into(),
                format!("LX2026{lead:05}"),
                kind,
                day - Duration::days(days_ago),
                Some("r12".into()),
            )
        };
        // Three follow-ups missed on lead 0, one on lead 3, a manual task and a weekly touch on lead 0.
        let tasks = [
            ("f1", 0, TaskKind::FollowUp, 3),
            ("f2", 0, TaskKind::FollowUp, 2),
            ("f3", 0, TaskKind::FollowUp, 1),
            ("g1", 3, TaskKind::FollowUp, 0),
            ("m1", 0, TaskKind::Manual, 1),
            ("w1", 0, TaskKind::WeeklyTouch, 0),
        ]
        .map(|(id, lead, kind, ago)| task(id, lead, kind, ago));
        // Read all at once (the start-up's way), the days are those of one task at a time.
        let mut at_once = index();
        at_once.follow_tasks(&tasks);
        for t in &tasks {
            i.follow_task(t);
        }
        let tomorrow = day + Duration::days(1);
        let rows = |i: &LeadIndex, before| {
            let mut rows: Vec<(String, usize)> =
                i.day(DayScope::Owner("r12"), before).into_iter().map(|(t, _, more)| (t.id.clone(), more)).collect();
            rows.sort();
            rows
        };
        let all = |v: &[(&str, usize)]| v.iter().map(|(id, n)| (id.to_string(), *n)).collect::<Vec<_>>();
        assert_eq!(rows(&i, tomorrow), all(&[("f1", 2), ("g1", 0), ("m1", 0), ("w1", 0)]));
        assert_eq!(rows(&at_once, tomorrow), rows(&i, tomorrow));
        // Counted up to the moment asked: two days ago, only the oldest was due.
        assert_eq!(rows(&i, day - Duration::days(2)), all(&[("f1", 0)]));
        // The oldest done, the next stands for the rest.
        i.follow_task(&TaskFacts { done_at: Some(day), ..task("f1", 0, TaskKind::FollowUp, 3) });
        assert_eq!(rows(&i, tomorrow), all(&[("f2", 1), ("g1", 0), ("m1", 0), ("w1", 0)]));
        // Lead 0 lost: its cadence leaves the day, the manual task stays; reopened, all come back.
        let mut lost = lead(0, "r12", "t1", "华信科技0号有限公司");
        lost.status = Status::Lost;
        i.upsert_lead(&lost);
        assert_eq!(rows(&i, tomorrow), all(&[("g1", 0), ("m1", 0)]));
        i.upsert_lead(&lead(0, "r12", "t1", "华信科技0号有限公司"));
        assert_eq!(rows(&i, tomorrow), all(&[("f2", 1), ("g1", 0), ("m1", 0), ("w1", 0)]));
        // Merged into lead 3: one follow-up row for both leads' missed ones, then gone with it.
        i.follow_changes(&[crate::kpi::ViewChange::Merge { from: "LX202600000".into(), into: "LX202600003".into() }]);
        i.remove("LX202600000");
        assert_eq!(rows(&i, tomorrow), all(&[("f2", 2), ("m1", 0), ("w1", 0)]));
        i.remove("LX202600003");
        assert!(rows(&i, tomorrow).is_empty());
        assert!(i.owner_day.values().chain(i.team_day.values()).all(BTreeMap::is_empty));
    }

    #[test]
    fn a_teams_day_holds_its_leads_tasks_whoever_holds_them_and_the_managers_own() {
        use crate::domain::enums::TaskKind;
        let mut i = index();
        let due = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        let task = |id: &str, lead: i64, owner: &str| {
            TaskFacts::planned(id.into(), format!("LX2026{lead:05}"), TaskKind::Manual, due, Some(owner.into()))
        };
        // Lead 0 is t1's (r12), lead 1 is t2's (r22); r31 of another team helps on lead 0, and
        // the manager m1 holds a task on t2's lead 1 and one on t1's lead 3.
        for (id, lead, owner) in [("a", 0, "r12"), ("b", 1, "r22"), ("c", 0, "r31"), ("d", 1, "m1"), ("e", 3, "m1")] {
            i.follow_task(&task(id, lead, owner));
        }
        let ids = |i: &LeadIndex, scope| {
            let mut ids: Vec<String> =
                i.day(scope, due + Duration::days(1)).into_iter().map(|(t, _, _)| t.id.clone()).collect();
            ids.sort();
            ids
        };
        let t1 = ["t1".to_string()];
        assert_eq!(ids(&i, DayScope::Teams { teams: &t1, holder: Some("m1") }), ["a", "c", "d", "e"]);
        assert_eq!(ids(&i, DayScope::Teams { teams: &t1, holder: None }), ["a", "c", "e"]);
        assert_eq!(ids(&i, DayScope::All), ["a", "b", "c", "d", "e"]);
        // Lead 0 moves to t2: its tasks follow it out of t1's day.
        i.upsert_lead(&lead(0, "r22", "t2", "华信科技0号有限公司"));
        assert_eq!(ids(&i, DayScope::Teams { teams: &t1, holder: None }), ["e"]);
    }

    #[test]
    fn pages_walk_every_visible_lead_once_newest_first() {
        let i = index();
        let admin = actor(Role::Admin);
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let (codes, next) = i.page(&admin, &LeadFilter::default(), 7, after.as_ref());
            seen.extend(codes);
            match next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 40);
        let keys: Vec<_> = seen.iter().map(|c| (i.get(c).unwrap().created_at, c.clone())).collect();
        let mut sorted = keys.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(keys, sorted);
    }

    #[test]
    fn leads_made_in_one_microsecond_are_each_on_a_page() {
        // Several writers at once: creation times nanoseconds apart, codes in the other order.
        let mut i = LeadIndex::default();
        let base = Utc.with_ymd_and_hms(2026, 12, 4, 15, 38, 47).unwrap() + Duration::microseconds(122_117);
        for n in 0..10 {
            let mut l = lead(n, "r12", "t1", "同一微秒科技有限公司");
            l.created_at = base + Duration::nanoseconds(900 - n * 90);
            i.upsert_lead(&l);
        }
        let admin = actor(Role::Admin);
        for size in 1..4 {
            let (mut seen, mut after) = (Vec::new(), None);
            loop {
                let (codes, next) = i.page(&admin, &LeadFilter::default(), size, after.as_ref());
                seen.extend(codes);
                // Through the API's cursor text, as a client pages.
                match next.map(|c| crate::domain::lead::Cursor::decode(&c.encode()).unwrap()) {
                    Some(c) => after = Some(c),
                    None => break,
                }
            }
            assert_eq!(seen.len(), 10, "pages of {size}: {seen:?}");
        }
    }

    #[test]
    fn pages_are_the_same_whether_walked_in_order_or_filtered_in_one_pass() {
        let i = index();
        let web = LeadFilter { source: Some(Source::WebForm), ..Default::default() };
        for (who, filter) in
            [(Role::Admin, LeadFilter::default()), (Role::Rep, LeadFilter::default()), (Role::Admin, web)]
        {
            let all_pages = |walk: usize| {
                let (mut pages, mut after) = (Vec::new(), None);
                loop {
                    let (codes, next) = i.page_walking(&actor(who), &filter, 4, after.as_ref(), walk);
                    pages.push(codes);
                    match next {
                        Some(c) => after = Some(c),
                        None => break pages,
                    }
                }
            };
            let walked = all_pages(usize::MAX);
            assert!(walked.len() > 2);
            for walk in [0, 1, 3, 5, 10] {
                assert_eq!(all_pages(walk), walked, "{who:?} walking {walk}");
            }
        }
    }

    #[test]
    fn the_scope_and_every_filter_apply() {
        let i = index();
        let rep = actor(Role::Rep);
        let (codes, _) = i.page(&rep, &LeadFilter::default(), 100, None);
        assert_eq!(codes.len(), 14);
        assert!(codes.iter().all(|c| i.get(c).unwrap().owner.as_deref() == Some("r12")));
        let admin = actor(Role::Admin);
        let f = LeadFilter { source: Some(Source::WebForm), team: Some("t2".into()), ..Default::default() };
        let (codes, _) = i.page(&admin, &f, 100, None);
        assert!(
            !codes.is_empty()
                && codes.iter().all(|c| {
                    let card = i.get(c).unwrap();
                    card.source == Some(Source::WebForm) && card.team.as_deref() == Some("t2")
                })
        );
        let f = LeadFilter { status: Some(Status::Won), ..Default::default() };
        assert!(i.page(&admin, &f, 100, None).0.is_empty());
        let f = LeadFilter { grade: Some(Grade::C), ..Default::default() };
        assert_eq!(i.page(&admin, &f, 100, None).0.len(), 40);
    }

    #[test]
    fn the_tier_filter_and_the_cards_read_activity_now() {
        use crate::domain::enums::Tier;
        use crate::value::Touch;
        let mut i = index();
        let now = Utc::now();
        // Lead 5 answered twice and called in twice in the last days: 20 + 30 + 10 = 60, active;
        // lead 6 answered once yesterday: 10 + 10 = 20, dormant by score; the rest never
        // answered since January: dormant.
        let touch = |days: i64, inbound: bool| Touch {
            occurred_at: now - Duration::days(days),
            responded: true,
            inbound,
            event: false,
        };
        for t in [touch(1, true), touch(2, true)] {
            i.entries.get_mut("LX202600005").unwrap().recent.add(&t);
        }
        i.entries.get_mut("LX202600006").unwrap().recent.add(&touch(1, false));
        let admin = actor(Role::Admin);
        let tier = |t: Tier| i.page(&admin, &LeadFilter { tier: Some(t), ..Default::default() }, 100, None).0;
        assert_eq!(tier(Tier::Active), ["LX202600005"]);
        assert!(tier(Tier::Potential).is_empty());
        assert_eq!(tier(Tier::Dormant).len(), 39);
        let mut cards: Vec<BoardCard> =
            ["LX202600005", "LX202600006"].iter().map(|c| i.get(c).unwrap().clone()).collect();
        i.with_tiers(cards.iter_mut(), now);
        assert_eq!(cards.iter().map(|c| c.tier).collect::<Vec<_>>(), [Some(Tier::Active), Some(Tier::Dormant)]);
    }

    #[test]
    fn text_search_finds_company_code_and_contact_details() {
        let i = index();
        let admin = actor(Role::Admin);
        let by = |q: &str| i.page(&admin, &LeadFilter { q: Some(q.into()), ..Default::default() }, 100, None).0;
        assert_eq!(by("华信科技17号"), ["LX202600017"]);
        assert_eq!(by("lx202600017"), ["LX202600017"]);
        assert_eq!(by("13800000017"), ["LX202600017"]);
        assert_eq!(by("李娜").len(), 40);
        assert!(by("不存在").is_empty());
    }
}
