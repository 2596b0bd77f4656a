//! The pipeline board page: the filters above the self-contained [`PipelineBoard`].
use crate::board::BoardFilter;
use crate::domain::enums::{Grade, Source};
use crate::i18n::Lang;
use crate::pipeline::PipelineBoard;
use crate::server_fns::board::load_people;
use crate::shell::use_ui;
use leptos::prelude::*;

fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "title" if zh => "销售看板",
        "title" => "Pipeline",
        "filters" if zh => "筛选",
        "filters" => "Filters",
        "owner" if zh => "负责人",
        "owner" => "Owner",
        "team" if zh => "团队",
        "team" => "Team",
        "grade" if zh => "等级",
        "grade" => "Grade",
        "source" if zh => "来源",
        "source" => "Source",
        "tag" if zh => "标签",
        "tag" => "Tag",
        "search" if zh => "搜索公司或编号",
        "search" => "Search company or code",
        "all" if zh => "全部",
        "all" => "All",
        "clear" if zh => "清除筛选",
        "clear" => "Clear filters",
        _ => "",
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let lang = use_ui().lang;
    let filter = RwSignal::new(BoardFilter::default());
    let people = crate::wire::resource(|| (), |_| load_people());
    let text = |v: String| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let select = move |key: &'static str,
                       options: Signal<Vec<(String, String)>>,
                       set: fn(&mut BoardFilter, Option<String>),
                       get: fn(&BoardFilter) -> Option<String>| {
        view! {
            <label class="filter">
                <span>{move || t(lang.get(), key)}</span>
                <select prop:value=move || filter.with(get).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| set(f, text(v))); }>
                    <option value="">{move || t(lang.get(), "all")}</option>
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
        <section class="board-page">
            <div class="board-head">
                <h1>{move || t(lang.get(), "title")}</h1>
                <form class="filters" role="search" aria-label=move || t(lang.get(), "filters") on:submit=|ev| ev.prevent_default()>
                    <label class="filter grow">
                        <span class="sr-only">{move || t(lang.get(), "search")}</span>
                        <input type="search" placeholder=move || t(lang.get(), "search")
                            prop:value=move || filter.with(|f| f.q.clone()).unwrap_or_default()
                            on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.q = text(v)); }/>
                    </label>
                    <Transition fallback=|| ()>
                        {select("owner", reps, |f, v| f.owner = v, |f| f.owner.clone())}
                        {select("team", teams, |f, v| f.team = v, |f| f.team.clone())}
                    </Transition>
                    {select("grade", grades, |f, v| f.grade = v.as_deref().and_then(Grade::parse), |f| f.grade.map(|g| g.key().to_string()))}
                    {select("source", sources, |f, v| f.source = v.as_deref().and_then(Source::parse), |f| f.source.map(|s| s.key().to_string()))}
                    <label class="filter">
                        <span>{move || t(lang.get(), "tag")}</span>
                        <input type="text" size="8" prop:value=move || filter.with(|f| f.tag.clone()).unwrap_or_default()
                            on:change=move |ev| { let v = event_target_value(&ev); filter.update(|f| f.tag = text(v)); }/>
                    </label>
                    <Show when=move || !filter.with(BoardFilter::is_empty)>
                        <button type="button" class="link" on:click=move |_| filter.set(BoardFilter::default())>
                            {move || t(lang.get(), "clear")}
                        </button>
                    </Show>
                </form>
            </div>
            <PipelineBoard filter=Signal::from(filter)/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_board_page_text_exists_in_both_languages() {
        for key in ["title", "filters", "owner", "team", "grade", "source", "tag", "search", "all", "clear"] {
            assert!(!t(Lang::Zh, key).is_empty() && !t(Lang::En, key).is_empty(), "{key}");
        }
    }
}
