//! The lead form, for a new lead and for editing one (PRODUCT.md §2, §3): every profile field,
//! the score, its four parts and the grade updating live as the user types, errors next to
//! their field, and on success the lead's page. An edit sends only what the user changed, with
//! the version they started from; when someone else saved the lead meanwhile, the form takes
//! their changes in and keeps the user's own.
use super::actions::FormActions;
use super::score::LiveScore;
use super::sections::ProfileFields;
use super::state::FormState;
use crate::domain::enums::DecisionChain;
use crate::domain::lead::Lead;
use crate::domain::lead_form::body::{edit_body, lead_body, rebase};
use crate::domain::lead_form::fields::{draft_profile, FORM_FIELDS};
use crate::domain::people::People;
use crate::domain::validate::Problem;
use crate::error::UiError;
use crate::format::{parse_amount, parse_count};
use crate::scoring::{score, Score, ScoreInputs};
use crate::server_fns::leads::{create_lead, update_lead};
use crate::wire::WireResource;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::Value;

crate::texts! {
    Title: "新建线索", "New lead";
    Hint: "带 * 的为必填项。评分与等级随输入即时更新，保存后由服务器按同一规则评分并自动分配负责人。", "Fields marked * are required. The score and grade update as you type; on saving, the server scores the lead by the same rules and assigns an owner.";
    EditTitle: "编辑线索", "Edit lead";
    EditHint: "评分与等级随修改即时更新；保存时服务器按同一规则重新评分，每项修改都记入审计日志。", "The score and grade follow your changes; on saving, the server scores the lead again by the same rules and audits every change.";
    Handed: "已保存。按分配规则，这条线索交给了", "Saved. By the assignment rules, this lead went to";
    Another: "再建一条", "Create another";
}

/// The lead's page.
fn lead_page(code: &str) -> String {
    format!("/leads/{}", crate::ui::encode(code))
}

/// The form itself: a new lead when `saved` is `None`, else an edit of that lead.
#[component]
pub fn LeadForm(
    saved: Option<Lead>,
    people: WireResource<Result<People, UiError>>,
    potential: WireResource<Result<crate::value::PotentialInputs, UiError>>,
) -> impl IntoView {
    let ui = crate::ui::use_ui();
    let (lang, settings) = (ui.lang, ui.settings);
    let editing = saved.is_some();
    let state = FormState::new(saved.as_ref());
    let form = state.form;
    // The lead as last saved (after a conflict: as the other person saved it).
    let saved = StoredValue::new(saved);
    // After a conflict: the fields both people changed.
    let conflict: RwSignal<Option<Vec<&'static str>>> = RwSignal::new(None);
    let general_error: RwSignal<Option<UiError>> = RwSignal::new(None);

    let inputs = Memo::new(move |_| ScoreInputs {
        employees: parse_count(&form.get("employees")).ok().flatten(),
        budget: parse_amount(&form.get("budget")).ok().flatten(),
        decision_months: parse_count(&form.get("decision_months")).ok().flatten(),
        decision_chain: DecisionChain::parse(&form.get("decision_chain")),
    });
    let result: Memo<Score> = Memo::new(move |_| settings.with(|s| score(&inputs.get(), &s.scoring)));
    let completeness = Memo::new(move |_| draft_profile(|f| form.get(f)).completeness());

    // The admin may change the scoring while the form is open: the live score follows.
    crate::components::live::use_live_events(move |event| {
        if let crate::wire::PageEvent::Settings(next) = event {
            settings.set(*next);
        }
    });
    // A rep's new lead that the rules gave someone else: said here, as the rep cannot open it.
    let handed: RwSignal<Option<Lead>> = RwSignal::new(None);
    let navigate = use_navigate();
    let navigate_on_save = navigate.clone();
    let save = Action::new(move |body: &Value| {
        let body = body.clone();
        let code = saved.with_value(|s| s.as_ref().map(|l| l.code.clone()));
        async move {
            match code {
                None => create_lead(body).await,
                Some(code) => update_lead(code, body).await,
            }
        }
    });
    let saving = save.pending();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(lead)) => {
            let mine = ui.viewer.with_untracked(|v| {
                v.as_ref().is_none_or(|v| v.role != crate::domain::enums::Role::Rep || v.rep == lead.owner)
            });
            if mine {
                navigate_on_save(&lead_page(&lead.code), Default::default());
            } else {
                handed.set(Some(lead));
            }
        }
        Some(Err(UiError::Conflict(fresh))) if editing => {
            let Some(before) = saved.get_value() else { return };
            let (take, both) = rebase(&before, &fresh, |f| form.get_untracked(f));
            for (field, text) in take {
                form.signal(field).set(text);
            }
            if form.verified.get_untracked() == before.profile.verified {
                form.verified.set(fresh.profile.verified);
            }
            if form.owner.get_untracked() == before.owner.clone().unwrap_or_default() {
                form.owner.set(fresh.owner.clone().unwrap_or_default());
            }
            saved.set_value(Some(*fresh));
            conflict.set(Some(both));
        }
        Some(Err(UiError::Invalid(problems))) => {
            // A channel detail's problem (`details.booth`) shows next to its field.
            let problems = problems.into_iter().map(|mut p| {
                if let Some(field) = p.path.strip_prefix("details.") {
                    p.path = field.to_string();
                }
                p
            });
            let (fields, other): (Vec<Problem>, Vec<Problem>) =
                problems.partition(|p| FORM_FIELDS.contains(&p.path.as_str()) || p.path == "owner");
            state.server_problems.set(fields);
            general_error.set((!other.is_empty()).then_some(UiError::Invalid(other)));
        }
        Some(Err(e)) => general_error.set(Some(e)),
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.attempted.set(true);
        general_error.set(None);
        if let Some(field) = state.first_problem_untracked() {
            focus(field);
            return;
        }
        if saving.get_untracked() {
            return;
        }
        let (verified, owner) = (form.verified.get_untracked(), form.owner.get_untracked());
        match saved.get_value() {
            None => {
                save.dispatch(lead_body(|f| form.get_untracked(f), verified, &owner));
            }
            Some(lead) => match edit_body(&lead, |f| form.get_untracked(f), verified, &owner) {
                Some(body) => {
                    conflict.set(None);
                    save.dispatch(body);
                }
                // Nothing changed: back to the lead.
                None => navigate(&lead_page(&lead.code), Default::default()),
            },
        }
    };
    let cancel_href = saved.with_value(|s| s.as_ref().map_or("/leads".to_string(), |l| lead_page(&l.code)));

    view! {
        {move || handed.get().map(|lead| view! {
            <p class="notice" role="status">
                <span>{t(lang.get(), T::Handed)}" "<strong>{lead.owner_name.clone().or(lead.owner.clone()).unwrap_or_default()}</strong>
                    " ("{lead.code.clone()}")"</span>
                <a href="/leads/new" rel="external">{t(lang.get(), T::Another)}</a>
            </p>
        })}
        <div class="lead-new">
            <header class="page-head">
                <h1>
                    {move || t(lang.get(), if editing { T::EditTitle } else { T::Title })}
                    {saved.with_value(|s| s.as_ref().map(|l| view! { " "<span class="lead-code">{l.code.clone()}</span> }))}
                </h1>
                <p class="hint">{move || t(lang.get(), if editing { T::EditHint } else { T::Hint })}</p>
            </header>
            <form class="lead-form" novalidate on:submit=on_submit>
                <ProfileFields state=state editing=editing people=people/>
                <aside class="card lead-score" aria-live="polite" aria-labelledby="live-score-title">
                    <LiveScore result=result completeness=completeness/>
                    <crate::components::value::LivePotential inputs=potential
                        score=result source=Signal::derive(move || form.get("source"))/>
                    <FormActions state=state conflict=conflict general_error=general_error saving=saving
                        editing=editing cancel_href=cancel_href/>
                </aside>
            </form>
        </div>
    }
}

/// Moves the keyboard focus to a field (the first one to fix).
fn focus(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
