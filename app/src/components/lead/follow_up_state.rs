//! The follow-up form's state on the lead page: its values (one signal a field, kept across a
//! refresh of the lead), the problems shown next to its fields, and how it saves
//! (`log_follow_up`), emptying itself once the follow-up is logged.
use crate::domain::enums::{Channel, Direction};
use crate::domain::follow_up::values::{follow_up_body, FollowUpCheck, FollowUpField, FollowUpValues};
use crate::domain::validate::Problem;
use crate::error::UiError;
use crate::format::{now, to_local_input};
use crate::i18n::Lang;
use crate::server_fns::leads::log_follow_up;
use leptos::prelude::*;
use serde_json::Value;

// What the browser's own checks say.
crate::texts! {
    Required: "必填", "Required";
    BadTime: "请选择有效的日期和时间", "Choose a valid date and time";
    Future: "跟进时间不能晚于现在", "A follow-up cannot be in the future";
    NextBefore: "下次跟进应晚于本次跟进时间", "The next follow-up must come after this one";
}

/// A problem shown next to a field: one of the browser's own checks, or the server's.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldProblem {
    Own(FollowUpCheck),
    Server(Problem),
}

impl FieldProblem {
    /// What the problem says to the user; the server's by its code, never by its wording.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FieldProblem::Own(check) => t(
                lang,
                match check {
                    FollowUpCheck::Required => T::Required,
                    FollowUpCheck::BadTime => T::BadTime,
                    FollowUpCheck::Future => T::Future,
                    FollowUpCheck::NextBefore => T::NextBefore,
                },
            )
            .to_string(),
            FieldProblem::Server(problem) => problem.text(lang),
        }
    }
}

/// The follow-up form's values, one signal a field; they outlive a refresh of the lead.
#[derive(Clone, Copy)]
pub struct FollowUpForm {
    pub channel: RwSignal<String>,
    pub direction: RwSignal<String>,
    pub occurred_at: RwSignal<String>,
    /// Whether the user changed the time (else "now" is taken when saving).
    pub occurred_set: RwSignal<bool>,
    pub responded: RwSignal<bool>,
    /// The free-text fields, in the order of [`FollowUpField::TEXTS`].
    texts: [RwSignal<String>; 9],
    pub mood: RwSignal<String>,
    pub satisfaction: RwSignal<String>,
    pub stage_after: RwSignal<String>,
    pub next_follow_up_at: RwSignal<String>,
}

impl FollowUpForm {
    fn new() -> FollowUpForm {
        FollowUpForm {
            channel: RwSignal::new(Channel::Phone.key().to_string()),
            direction: RwSignal::new(Direction::Outbound.key().to_string()),
            occurred_at: RwSignal::new(to_local_input(now())),
            occurred_set: RwSignal::new(false),
            responded: RwSignal::new(false),
            texts: std::array::from_fn(|_| RwSignal::new(String::new())),
            mood: RwSignal::new(String::new()),
            satisfaction: RwSignal::new(String::new()),
            stage_after: RwSignal::new(String::new()),
            next_follow_up_at: RwSignal::new(String::new()),
        }
    }

    /// The signal of a free-text field (one of [`FollowUpField::TEXTS`]).
    pub fn text(&self, field: FollowUpField) -> RwSignal<String> {
        self.texts[FollowUpField::TEXTS.iter().position(|f| *f == field).unwrap_or(0)]
    }

    /// Empties the form for the next follow-up (channel and direction stay as they were).
    fn reset(&self) {
        self.occurred_at.set(to_local_input(now()));
        self.occurred_set.set(false);
        self.responded.set(false);
        for s in self.texts {
            s.set(String::new());
        }
        self.mood.set(String::new());
        self.satisfaction.set(String::new());
        self.stage_after.set(String::new());
        self.next_follow_up_at.set(String::new());
    }

    fn values(&self) -> FollowUpValues {
        let text = |f: FollowUpField| self.text(f).get_untracked();
        FollowUpValues {
            channel: self.channel.get_untracked(),
            direction: self.direction.get_untracked(),
            occurred_at: if self.occurred_set.get_untracked() {
                self.occurred_at.get_untracked()
            } else {
                String::new()
            },
            responded: self.responded.get_untracked(),
            summary: text(FollowUpField::Summary),
            bant_background: text(FollowUpField::BantBackground),
            bant_pain: text(FollowUpField::BantPain),
            bant_need: text(FollowUpField::BantNeed),
            bant_value: text(FollowUpField::BantValue),
            needs_change: text(FollowUpField::NeedsChange),
            feedback: text(FollowUpField::Feedback),
            decision_progress: text(FollowUpField::DecisionProgress),
            contact: text(FollowUpField::Contact),
            mood: self.mood.get_untracked(),
            satisfaction: self.satisfaction.get_untracked(),
            stage_after: self.stage_after.get_untracked(),
            next_follow_up_at: self.next_follow_up_at.get_untracked(),
        }
    }
}

/// Whether a field shows its own problems beside it: the text fields and the times and stage
/// do; the others' problems go in the form's general message.
fn shown_at_field(field: FollowUpField) -> bool {
    FollowUpField::TEXTS.contains(&field)
        || matches!(field, FollowUpField::OccurredAt | FollowUpField::StageAfter | FollowUpField::NextFollowUpAt)
}

/// What the follow-up form shares with the page: its values, its problems and how to save.
#[derive(Clone, Copy)]
pub struct FormContext {
    pub form: FollowUpForm,
    /// Problems by field.
    pub problems: RwSignal<Vec<(FollowUpField, FieldProblem)>>,
    pub error: RwSignal<Option<UiError>>,
    pub saved: RwSignal<bool>,
    pub saving: Memo<bool>,
    /// Saves the form's follow-up on the lead of this code.
    pub submit: Callback<String>,
}

impl FormContext {
    /// The form of the lead whose code is `code`, started afresh when another lead opens in
    /// the same page; `on_saved` runs once a follow-up is logged (the page reloads the lead).
    pub fn new(code: Memo<String>, on_saved: impl Fn() + 'static) -> FormContext {
        let form = FollowUpForm::new();
        let problems: RwSignal<Vec<(FollowUpField, FieldProblem)>> = RwSignal::new(Vec::new());
        let error: RwSignal<Option<UiError>> = RwSignal::new(None);
        let saved = RwSignal::new(false);
        // Another lead opened in the same page: start its form afresh.
        Effect::new(move |previous: Option<String>| {
            let current = code.get();
            if previous.is_some_and(|p| p != current) {
                form.reset();
                problems.set(Vec::new());
                error.set(None);
                saved.set(false);
            }
            current
        });

        let log = Action::new(move |(code, body): &(String, Value)| {
            let (code, body) = (code.clone(), body.clone());
            async move { log_follow_up(code, body).await }
        });
        let saving = log.pending();
        Effect::new(move |_| match log.value().get() {
            Some(Ok(_)) => {
                form.reset();
                problems.set(Vec::new());
                error.set(None);
                saved.set(true);
                on_saved();
            }
            Some(Err(UiError::Invalid(list))) => {
                // A problem is shown next to its field when the form has a place for it there;
                // any other (the channel, say) goes in the form's general message, so no
                // problem goes unsaid.
                let (fields, other): (Vec<Problem>, Vec<Problem>) =
                    list.into_iter().partition(|p| FollowUpField::from_key(&p.path).is_some_and(shown_at_field));
                problems.set(
                    fields
                        .into_iter()
                        .filter_map(|p| {
                            let field = FollowUpField::from_key(&p.path)?;
                            Some((field, FieldProblem::Server(p)))
                        })
                        .collect(),
                );
                error.set(Some(UiError::Invalid(other)).filter(|e| matches!(e, UiError::Invalid(o) if !o.is_empty())));
                saved.set(false);
            }
            Some(Err(e)) => {
                error.set(Some(e));
                saved.set(false);
            }
            None => {}
        });

        let submit = move |code: String| {
            saved.set(false);
            error.set(None);
            match follow_up_body(&form.values(), now()) {
                Ok(body) => {
                    problems.set(Vec::new());
                    if !saving.get_untracked() {
                        log.dispatch((code, body));
                    }
                }
                Err(list) => problems.set(list.into_iter().map(|(f, check)| (f, FieldProblem::Own(check))).collect()),
            }
        };
        FormContext { form, problems, error, saved, saving, submit: Callback::new(submit) }
    }

    /// The problem shown next to `field`, if any, in the user's language.
    pub fn problem(&self, field: FollowUpField, lang: Lang) -> Option<String> {
        self.problems.with(|list| list.iter().find(|(f, _)| *f == field).map(|(_, p)| p.text(lang)))
    }
}
