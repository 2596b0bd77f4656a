//! The board's filters (PRODUCT.md §9): search by company or code, owner, team, grade,
//! source and tag, and a button that clears them.
use crate::domain::board::BoardFilter;
use crate::domain::enums::{Grade, Source};
use crate::ui::use_ui;
use leptos::prelude::*;

crate::texts! {
    Filters: "筛选", "Filters";
    Owner: "负责人", "Owner";
    Team: "团队", "Team";
    Grade: "等级", "Grade";
    Source: "来源", "Source";
    Tag: "标签", "Tag";
    Search: "搜索公司或编号", "Search company or code";
    All: "全部", "All";
    Clear: "清除筛选", "Clear filters";
}

/// The filter form; every change sets `filter`, which the board follows.
#[component]
pub fn BoardFilters(filter: RwSignal<BoardFilter>) -> impl IntoView {
    let lang = use_ui().lang;
    let people = crate::server_fns::board::people_resource(Signal::stored(true));
    let text = |v: String| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let select = move |key: T,
                       options: Signal<Vec<(String, String)>>,
                       set: fn(&mut BoardFilter, Option<String>),
                       get: fn(&BoardFilter) -> Option<String>| {
        view! {
            <label class="filter">
                <span>{move || t(lang.get(), key)}</span>
                <select prop:value=move || filter.with(get).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| set(f, text(v))); }>
                    <option value="">{move || t(lang.get(), T::All)}</option>
                    {move || options.get().into_iter().map(|(k, label)| view! { <option value=k.clone()>{label}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    let reps = Signal::derive(move || {
        people
            .get()
            .and_then(Result::ok)
            .map(|p| p.reps.into_iter().map(|r| (r.key, r.name)).collect())
            .unwrap_or_default()
    });
    let teams = Signal::derive(move || {
        people
            .get()
            .and_then(Result::ok)
            .map(|p| p.teams.into_iter().map(|r| (r.key, r.name)).collect())
            .unwrap_or_default()
    });
    let grades = Signal::derive(|| Grade::ALL.iter().map(|g| (g.key().to_string(), g.key().to_string())).collect());
    let sources = Signal::derive(move || {
        Source::ALL.iter().map(|s| (s.key().to_string(), s.label(lang.get()).to_string())).collect()
    });
    view! {
        <form class="filters" role="search" aria-label=move || t(lang.get(), T::Filters) on:submit=|ev| ev.prevent_default()>
            <label class="filter grow">
                <span class="sr-only">{move || t(lang.get(), T::Search)}</span>
                <input type="search" placeholder=move || t(lang.get(), T::Search)
                    prop:value=move || filter.with(|f| f.q.clone()).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.q = text(v)); }/>
            </label>
            <Transition fallback=|| ()>
                {select(T::Owner, reps, |f, v| f.owner = v, |f| f.owner.clone())}
                {select(T::Team, teams, |f, v| f.team = v, |f| f.team.clone())}
            </Transition>
            {select(T::Grade, grades, |f, v| f.grade = v.as_deref().and_then(Grade::parse), |f| f.grade.map(|g| g.key().to_string()))}
            {select(T::Source, sources, |f, v| f.source = v.as_deref().and_then(Source::parse), |f| f.source.map(|s| s.key().to_string()))}
            <label class="filter">
                <span>{move || t(lang.get(), T::Tag)}</span>
                <input type="text" size="8" prop:value=move || filter.with(|f| f.tag.clone()).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.tag = text(v)); }/>
            </label>
            <Show when=move || !filter.with(BoardFilter::is_empty)>
                <button type="button" class="link" on:click=move |_| filter.set(BoardFilter::default())>
                    {move || t(lang.get(), T::Clear)}
                </button>
            </Show>
        </form>
    }
}
