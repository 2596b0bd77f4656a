//! The leads list's filter form: search text, status, grade, source, activity tier, owner (for
//! managers) and tag, applied by going to the list's address with them.
use super::address::use_show_list;
use crate::domain::enums::{Grade, Role, Source, Status, Tier};
use crate::domain::lead_query::{LeadQuery, SortBy};
use crate::domain::people::People;
use crate::server_fns::leads::lead_tags;
use leptos::prelude::*;
use leptos_router::components::A;

crate::texts! {
    Filters: "筛选线索", "Filter leads";
    Q: "搜索", "Search";
    QHint: "企业、编号、联系人、电话、邮箱或需求", "Company, code, contact, phone, email or need";
    Status: "状态", "Status";
    Grade: "等级", "Grade";
    Owner: "负责人", "Owner";
    Source: "来源", "Source";
    Tag: "标签", "Tag";
    Tier: "活跃度", "Activity";
    Any: "全部", "All";
    Search: "搜索", "Search";
    Clear: "清除筛选", "Clear filters";
}

/// The filter form of the list shown with `query` and `sort`; a select applies at once, the
/// search box and tag field when the form is submitted.
#[component]
pub fn LeadFilters(query: Memo<LeadQuery>, sort: Memo<SortBy>) -> impl IntoView {
    let ui = crate::ui::use_ui();
    let lang = ui.lang;
    let go = use_show_list();

    // The search box and tag field are typed into, then applied; they follow the address
    // (back and forward buttons) too.
    let q_text = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    let tag_text = RwSignal::new(query.get_untracked().tag.unwrap_or_default());
    Effect::new(move |_| {
        let q = query.get();
        q_text.set(q.q.unwrap_or_default());
        tag_text.set(q.tag.unwrap_or_default());
    });

    let is_rep = move || ui.viewer.with(|v| v.as_ref().is_some_and(|v| v.role == Role::Rep));
    let people = crate::server_fns::board::people_resource(Signal::stored(true));
    let tags = crate::wire::resource(|| (), |_| lead_tags());

    let set_filter = {
        let go = go.clone();
        move |apply: fn(&mut LeadQuery, String), value: String| {
            let mut q = query.get_untracked();
            apply(&mut q, value);
            q.q = Some(q_text.get_untracked());
            q.tag = Some(tag_text.get_untracked());
            go(q, sort.get_untracked());
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut q = query.get_untracked();
        q.q = Some(q_text.get_untracked());
        q.tag = Some(tag_text.get_untracked());
        go(q, sort.get_untracked());
    };

    // One filter select: its options and the value in the address.
    let select = move |name: &'static str,
                       label: T,
                       options: Vec<(String, String)>,
                       current: fn(&LeadQuery) -> Option<String>,
                       apply: fn(&mut LeadQuery, String)| {
        let set_filter = set_filter.clone();
        let id = format!("filter-{name}");
        let label_for = id.clone();
        view! {
            <label class="field" for=label_for>
                <span>{move || t(lang.get(), label)}</span>
                <select id=id name=name
                    prop:value=move || query.with(current).unwrap_or_default()
                    on:change=move |ev| set_filter(apply, event_target_value(&ev))>
                    <option value="">{move || t(lang.get(), T::Any)}</option>
                    {options.into_iter().map(|(value, label)| {
                        let selected = {
                            let value = value.clone();
                            move || query.with(current).as_deref() == Some(value.as_str())
                        };
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let enum_options = move |items: Vec<(&'static str, &'static str)>| -> Vec<(String, String)> {
        items.into_iter().map(|(k, l)| (k.to_string(), l.to_string())).collect()
    };

    let filters = {
        let select = select.clone();
        move || {
            let l = lang.get();
            view! {
                {select("status", T::Status, enum_options(Status::ALL.iter().map(|s| (s.key(), s.label(l))).collect()),
                    |q| q.status.map(|s| s.key().to_string()), |q, v| q.status = Status::parse(&v))}
                {select("grade", T::Grade, enum_options(Grade::ALL.iter().map(|g| (g.key(), g.label(l))).collect()),
                    |q| q.grade.map(|g| g.key().to_string()), |q, v| q.grade = Grade::parse(&v))}
                {select("source", T::Source, enum_options(Source::ALL.iter().map(|s| (s.key(), s.label(l))).collect()),
                    |q| q.source.map(|s| s.key().to_string()), |q, v| q.source = Source::parse(&v))}
                {select("tier", T::Tier, enum_options(Tier::ALL.iter().map(|t| (t.key(), t.label(l))).collect()),
                    |q| q.tier.map(|t| t.key().to_string()), |q, v| q.tier = Tier::parse(&v))}
            }
        }
    };
    let owner_filter = move || {
        let select = select.clone();
        Suspend::new(async move {
            let people: People = people.await.unwrap_or_default();
            if is_rep() || people.reps.is_empty() {
                return ().into_any();
            }
            let options = people
                .reps
                .iter()
                .map(|r| {
                    let team = r.team.as_ref().and_then(|t| people.teams.iter().find(|x| &x.key == t));
                    let label = match team {
                        Some(team) => format!("{}（{}）", r.name, team.name),
                        None => r.name.clone(),
                    };
                    (r.key.clone(), label)
                })
                .collect();
            select("owner", T::Owner, options, |q| q.owner.clone(), |q, v| q.owner = Some(v)).into_any()
        })
    };

    view! {
        <form class="card lead-filters" method="get" action="/leads" role="search"
            aria-label=move || t(lang.get(), T::Filters) on:submit=on_submit>
            <label class="field filter-q" for="filter-q">
                <span>{move || t(lang.get(), T::Q)}</span>
                <input id="filter-q" name="q" type="search" autocomplete="off"
                    placeholder=move || t(lang.get(), T::QHint)
                    prop:value=move || q_text.get()
                    on:input=move |ev| q_text.set(event_target_value(&ev))/>
            </label>
            {filters}
            <Transition fallback=|| ()>{owner_filter}</Transition>
            <label class="field" for="filter-tag">
                <span>{move || t(lang.get(), T::Tag)}</span>
                <input id="filter-tag" name="tag" list="lead-tags" autocomplete="off"
                    prop:value=move || tag_text.get()
                    on:input=move |ev| tag_text.set(event_target_value(&ev))/>
                <datalist id="lead-tags">
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            tags.await.unwrap_or_default().into_iter()
                                .map(|tag| view! { <option value=tag></option> })
                                .collect_view()
                        })}
                    </Transition>
                </datalist>
            </label>
            <div class="filter-actions">
                <button type="submit" class="primary">{move || t(lang.get(), T::Search)}</button>
                <A href="/leads">{move || t(lang.get(), T::Clear)}</A>
            </div>
        </form>
    }
}
