//! The leads list: search and filter the leads the user may see (status, grade, owner,
//! source, tag, text), newest first from the server in pages ("load more"), with the filters
//! in the address so a reload or a shared link keeps them, and a sort of the loaded rows.
use crate::domain::enums::{Grade, Role, Source, Status};
use crate::domain::lead::Lead;
use crate::domain::people::People;
use crate::error::UiError;
use crate::format::{cny_opt, date};
use crate::i18n::Lang;
use crate::server_fns::board::load_people;
use crate::server_fns::leads::{lead_tags, list_leads, LeadQuery};
use crate::shell::encode;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// Text of the page in both languages.
fn t(lang: Lang, key: &str) -> &'static str {
    let zh = lang == Lang::Zh;
    match key {
        "title" if zh => "线索",
        "title" => "Leads",
        "new" if zh => "＋ 新建线索",
        "new" => "＋ New lead",
        "filters" if zh => "筛选线索",
        "filters" => "Filter leads",
        "q" if zh => "搜索",
        "q" => "Search",
        "q_hint" if zh => "企业、编号、联系人、电话、邮箱或需求",
        "q_hint" => "Company, code, contact, phone, email or need",
        "status" if zh => "状态",
        "status" => "Status",
        "grade" if zh => "等级",
        "grade" => "Grade",
        "owner" if zh => "负责人",
        "owner" => "Owner",
        "source" if zh => "来源",
        "source" => "Source",
        "tag" if zh => "标签",
        "tag" => "Tag",
        "any" if zh => "全部",
        "any" => "All",
        "search" if zh => "搜索",
        "search" => "Search",
        "clear" if zh => "清除筛选",
        "clear" => "Clear filters",
        "sort" if zh => "排序",
        "sort" => "Sort",
        "sort_newest" if zh => "最新创建",
        "sort_newest" => "Newest first",
        "sort_oldest" if zh => "最早创建",
        "sort_oldest" => "Oldest first",
        "sort_score_desc" if zh => "评分从高到低",
        "sort_score_desc" => "Score, high to low",
        "sort_score_asc" if zh => "评分从低到高",
        "sort_score_asc" => "Score, low to high",
        "sort_hint" if zh => "服务器按创建时间从新到旧分页返回；其他排序只对已加载的线索生效。",
        "sort_hint" => "The server pages leads newest first; other sorts apply to the leads loaded so far.",
        "code" if zh => "编号",
        "code" => "Code",
        "company" if zh => "企业",
        "company" => "Company",
        "score" if zh => "评分",
        "score" => "Score",
        "created" if zh => "创建日期",
        "created" => "Created",
        "budget" if zh => "预算",
        "budget" => "Budget",
        "unassigned" if zh => "未分配",
        "unassigned" => "Unassigned",
        "loaded" if zh => "已加载",
        "loaded" => "Loaded",
        "rows" if zh => "条线索",
        "rows" => "leads",
        "more_exist" if zh => "，还有更多",
        "more_exist" => ", more to load",
        "load_more" if zh => "加载更多",
        "load_more" => "Load more",
        "loading" if zh => "正在加载…",
        "loading" => "Loading…",
        "empty" if zh => "没有符合条件的线索。",
        "empty" => "No leads match these filters.",
        "empty_all" if zh => "还没有线索，先新建一条吧。",
        "empty_all" => "No leads yet: create the first one.",
        "list" if zh => "线索列表",
        "list" => "Lead list",
        _ => "",
    }
}

/// Every key of [`t`], for the test that both languages have them.
#[cfg(test)]
const KEYS: &[&str] = &[
    "title",
    "new",
    "filters",
    "q",
    "q_hint",
    "status",
    "grade",
    "owner",
    "source",
    "tag",
    "any",
    "search",
    "clear",
    "sort",
    "sort_newest",
    "sort_oldest",
    "sort_score_desc",
    "sort_score_asc",
    "sort_hint",
    "code",
    "company",
    "score",
    "created",
    "budget",
    "unassigned",
    "loaded",
    "rows",
    "more_exist",
    "load_more",
    "loading",
    "empty",
    "empty_all",
    "list",
];

/// How the loaded rows are ordered (the server always pages newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Newest,
    Oldest,
    ScoreDesc,
    ScoreAsc,
}

impl SortBy {
    const ALL: [SortBy; 4] = [SortBy::Newest, SortBy::ScoreDesc, SortBy::ScoreAsc, SortBy::Oldest];

    fn key(self) -> &'static str {
        match self {
            SortBy::Newest => "newest",
            SortBy::Oldest => "oldest",
            SortBy::ScoreDesc => "score_desc",
            SortBy::ScoreAsc => "score_asc",
        }
    }

    fn parse(key: &str) -> SortBy {
        SortBy::ALL.into_iter().find(|s| s.key() == key).unwrap_or(SortBy::Newest)
    }

    fn label(self, lang: Lang) -> &'static str {
        t(lang, &format!("sort_{}", self.key()))
    }

    /// Orders rows; ties keep the server's order (newest first).
    fn apply(self, rows: &mut [Lead]) {
        // One comparator (one sort compiled into the wasm), chosen per pair.
        rows.sort_by(|a, b| match self {
            SortBy::Newest => b.created_at.cmp(&a.created_at).then_with(|| b.code.cmp(&a.code)),
            SortBy::Oldest => a.created_at.cmp(&b.created_at).then_with(|| a.code.cmp(&b.code)),
            SortBy::ScoreDesc => b.score.total.cmp(&a.score.total),
            SortBy::ScoreAsc => a.score.total.cmp(&b.score.total),
        });
    }
}

/// The filters a query string holds; unknown values are ignored.
fn query_from(get: impl Fn(&str) -> Option<String>) -> LeadQuery {
    let text = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    LeadQuery {
        status: text("status").and_then(|v| Status::parse(&v)),
        grade: text("grade").and_then(|v| Grade::parse(&v)),
        owner: text("owner"),
        source: text("source").and_then(|v| Source::parse(&v)),
        tag: text("tag"),
        q: text("q"),
        cursor: None,
    }
}

/// The address of the list with these filters and this sort.
fn list_href(query: &LeadQuery, sort: SortBy) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut add = |key: &str, value: Option<&str>| {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{key}={}", encode(v)));
        }
    };
    add("q", query.q.as_deref());
    add("status", query.status.map(Status::key));
    add("grade", query.grade.map(Grade::key));
    add("owner", query.owner.as_deref());
    add("source", query.source.map(Source::key));
    add("tag", query.tag.as_deref());
    if sort != SortBy::Newest {
        add("sort", Some(sort.key()));
    }
    if parts.is_empty() {
        "/leads".into()
    } else {
        format!("/leads?{}", parts.join("&"))
    }
}

/// Leads loaded after the first page, for the filters they were loaded with.
#[derive(Debug, Clone, PartialEq)]
struct MorePages {
    query: LeadQuery,
    rows: Vec<Lead>,
    next_cursor: Option<String>,
}

#[component]
pub fn LeadsPage() -> impl IntoView {
    let ui = crate::shell::use_ui();
    let lang = ui.lang;
    let query_map = use_query_map();
    let query = Memo::new(move |_| query_map.with(|m| query_from(|k| m.get(k))));
    let sort = Memo::new(move |_| query_map.with(|m| SortBy::parse(&m.get("sort").unwrap_or_default())));
    let navigate = use_navigate();
    let go = move |query: LeadQuery, sort: SortBy| {
        navigate(&list_href(&query, sort), NavigateOptions { scroll: false, ..Default::default() });
    };

    // The search box and tag field are typed into, then applied; they follow the address
    // (back and forward buttons) too.
    let q_text = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    let tag_text = RwSignal::new(query.get_untracked().tag.unwrap_or_default());
    Effect::new(move |_| {
        let q = query.get();
        q_text.set(q.q.unwrap_or_default());
        tag_text.set(q.tag.unwrap_or_default());
    });

    let first = crate::wire::resource(move || query.get(), list_leads);
    let more: RwSignal<Option<MorePages>> = RwSignal::new(None);
    let more_error: RwSignal<Option<UiError>> = RwSignal::new(None);
    let load_more = Action::new(move |(base, cursor): &(LeadQuery, String)| {
        let base = base.clone();
        let page_query = LeadQuery { cursor: Some(cursor.clone()), ..base.clone() };
        async move {
            match list_leads(page_query).await {
                Ok(page) => {
                    more_error.set(None);
                    more.update(|m| match m {
                        Some(m) if m.query == base => {
                            m.rows.extend(page.items);
                            m.next_cursor = page.next_cursor;
                        }
                        _ => *m = Some(MorePages { query: base, rows: page.items, next_cursor: page.next_cursor }),
                    });
                }
                Err(e) => more_error.set(Some(e)),
            }
        }
    });
    let loading_more = load_more.pending();
    let pending = RwSignal::new(false);

    let is_rep = move || ui.viewer.with(|v| v.as_ref().is_some_and(|v| v.role == Role::Rep));
    let people = crate::wire::resource(|| (), |_| load_people());
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
    let on_submit = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut q = query.get_untracked();
            q.q = Some(q_text.get_untracked());
            q.tag = Some(tag_text.get_untracked());
            go(q, sort.get_untracked());
        }
    };
    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| go(query.get_untracked(), SortBy::parse(&event_target_value(&ev)))
    };

    // One filter select: its options and the value in the address.
    let select = move |name: &'static str,
                       options: Vec<(String, String)>,
                       current: fn(&LeadQuery) -> Option<String>,
                       apply: fn(&mut LeadQuery, String)| {
        let set_filter = set_filter.clone();
        let id = format!("filter-{name}");
        let label_for = id.clone();
        view! {
            <label class="field" for=label_for>
                <span>{move || t(lang.get(), name)}</span>
                <select id=id name=name
                    prop:value=move || query.with(current).unwrap_or_default()
                    on:change=move |ev| set_filter(apply, event_target_value(&ev))>
                    <option value="">{move || t(lang.get(), "any")}</option>
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
                {select("status", enum_options(Status::ALL.iter().map(|s| (s.key(), s.label(l))).collect()),
                    |q| q.status.map(|s| s.key().to_string()), |q, v| q.status = Status::parse(&v))}
                {select("grade", enum_options(Grade::ALL.iter().map(|g| (g.key(), g.label(l))).collect()),
                    |q| q.grade.map(|g| g.key().to_string()), |q, v| q.grade = Grade::parse(&v))}
                {select("source", enum_options(Source::ALL.iter().map(|s| (s.key(), s.label(l))).collect()),
                    |q| q.source.map(|s| s.key().to_string()), |q, v| q.source = Source::parse(&v))}
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
            select("owner", options, |q| q.owner.clone(), |q, v| q.owner = Some(v)).into_any()
        })
    };

    let rows_view = move || {
        Suspend::new(async move {
            let page = match first.await {
                Ok(page) => page,
                Err(e) => return view! { <p class="form-error" role="alert">{e.message(lang.get())}</p> }.into_any(),
            };
            let first_rows = page.items;
            let first_next = page.next_cursor;
            let all_rows = {
                let first_rows = first_rows.clone();
                move || {
                    let q = query.get();
                    let mut rows = first_rows.clone();
                    more.with(|m| {
                        if let Some(m) = m.as_ref().filter(|m| m.query == q) {
                            rows.extend(m.rows.iter().cloned());
                        }
                    });
                    sort.get().apply(&mut rows);
                    rows
                }
            };
            let next_cursor = move || {
                let q = query.get();
                more.with(|m| match m.as_ref().filter(|m| m.query == q) {
                    Some(m) => m.next_cursor.clone(),
                    None => first_next.clone(),
                })
            };
            let count = {
                let all_rows = all_rows.clone();
                move || all_rows().len()
            };
            let filtered = query.with_untracked(|q| *q != LeadQuery::default());
            if first_rows.is_empty() {
                return view! {
                    <div class="card empty">
                        <p>{move || t(lang.get(), if filtered { "empty" } else { "empty_all" })}</p>
                        {if filtered {
                            view! { <A href="/leads">{move || t(lang.get(), "clear")}</A> }.into_any()
                        } else {
                            view! { <A href="/leads/new">{move || t(lang.get(), "new")}</A> }.into_any()
                        }}
                    </div>
                }
                .into_any();
            }
            let more_available = {
                let next_cursor = next_cursor.clone();
                move || next_cursor().is_some()
            };
            view! {
                <p class="list-count" aria-live="polite">
                    {move || t(lang.get(), "loaded")}" "<b>{count.clone()}</b>" "{move || t(lang.get(), "rows")}
                    {
                        let more_available = more_available.clone();
                        move || more_available().then(|| t(lang.get(), "more_exist"))
                    }
                </p>
                <div class="lead-table-wrap">
                    <table class="lead-table" aria-label=move || t(lang.get(), "list")>
                        <thead>
                            <tr>
                                <th scope="col">{move || t(lang.get(), "code")}</th>
                                <th scope="col">{move || t(lang.get(), "company")}</th>
                                <th scope="col">{move || t(lang.get(), "grade")}</th>
                                <th scope="col" class="num" aria-sort=move || match sort.get() {
                                    SortBy::ScoreDesc => "descending",
                                    SortBy::ScoreAsc => "ascending",
                                    _ => "none",
                                }>{move || t(lang.get(), "score")}</th>
                                <th scope="col">{move || t(lang.get(), "status")}</th>
                                <th scope="col">{move || t(lang.get(), "owner")}</th>
                                <th scope="col">{move || t(lang.get(), "source")}</th>
                                <th scope="col" aria-sort=move || match sort.get() {
                                    SortBy::Newest => "descending",
                                    SortBy::Oldest => "ascending",
                                    _ => "none",
                                }>{move || t(lang.get(), "created")}</th>
                                <th scope="col" class="num">{move || t(lang.get(), "budget")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || all_rows().into_iter().map(|lead| lead_row(lead, lang.get())).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="leads-more">
                    {move || more_error.get().map(|e| view! { <p class="form-error" role="alert">{e.message(lang.get())}</p> })}
                    {
                        let next_cursor = next_cursor.clone();
                        move || next_cursor().map(|cursor| view! {
                            <button type="button" class="secondary" disabled=move || loading_more.get()
                                on:click=move |_| { load_more.dispatch((query.get_untracked(), cursor.clone())); }>
                                {move || if loading_more.get() { t(lang.get(), "loading") } else { t(lang.get(), "load_more") }}
                            </button>
                        })
                    }
                </div>
            }
            .into_any()
        })
    };

    view! {
        <div class="leads-page">
            <header class="page-head">
                <h1>{move || t(lang.get(), "title")}</h1>
                <A href="/leads/new" attr:class="button primary">{move || t(lang.get(), "new")}</A>
            </header>
            <form class="card lead-filters" method="get" action="/leads" role="search"
                aria-label=move || t(lang.get(), "filters") on:submit=on_submit>
                <label class="field filter-q" for="filter-q">
                    <span>{move || t(lang.get(), "q")}</span>
                    <input id="filter-q" name="q" type="search" autocomplete="off"
                        placeholder=move || t(lang.get(), "q_hint")
                        prop:value=move || q_text.get()
                        on:input=move |ev| q_text.set(event_target_value(&ev))/>
                </label>
                {filters}
                <Transition fallback=|| ()>{owner_filter}</Transition>
                <label class="field" for="filter-tag">
                    <span>{move || t(lang.get(), "tag")}</span>
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
                    <button type="submit" class="primary">{move || t(lang.get(), "search")}</button>
                    <A href="/leads">{move || t(lang.get(), "clear")}</A>
                </div>
            </form>
            <div class="list-tools">
                <label class="field sort" for="lead-sort">
                    <span>{move || t(lang.get(), "sort")}</span>
                    <select id="lead-sort" name="sort" prop:value=move || sort.get().key() on:change=on_sort>
                        {SortBy::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=move || sort.get() == s>{move || s.label(lang.get())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <p class="hint">{move || t(lang.get(), "sort_hint")}</p>
            </div>
            <section class="lead-results" aria-busy=move || pending.get().to_string()>
                <Transition fallback=move || view! { <p class="hint">{move || t(lang.get(), "loading")}</p> }
                    set_pending=pending.write_only()>
                    {rows_view}
                </Transition>
            </section>
        </div>
    }
}

/// One row of the list (a card on a phone: each cell carries its column's name).
fn lead_row(lead: Lead, lang: Lang) -> impl IntoView {
    let href = format!("/leads/{}", encode(&lead.code));
    let grade = lead.grade.key();
    let owner = lead.owner_name.clone().or_else(|| lead.owner.clone()).unwrap_or_else(|| t(lang, "unassigned").into());
    view! {
        <tr>
            <td data-label=t(lang, "code") class="code"><A href=href>{lead.code.clone()}</A></td>
            <td data-label=t(lang, "company") class="company">{lead.profile.company.clone().unwrap_or_default()}</td>
            <td data-label=t(lang, "grade")><span class=format!("grade grade-sm grade-{grade}")>{grade}</span></td>
            <td data-label=t(lang, "score") class="num">{lead.score.total}</td>
            <td data-label=t(lang, "status")>
                <span class=format!("status-pill status-{}", lead.status.key())>{lead.status.label(lang)}</span>
            </td>
            <td data-label=t(lang, "owner")>{owner}</td>
            <td data-label=t(lang, "source")>{lead.profile.source.map(|s| s.label(lang)).unwrap_or("—")}</td>
            <td data-label=t(lang, "created")>{date(lead.created_at)}</td>
            <td data-label=t(lang, "budget") class="num">{cny_opt(lead.profile.budget)}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_text_exists_in_both_languages() {
        for key in KEYS {
            assert!(!t(Lang::Zh, key).is_empty(), "zh {key}");
            assert!(!t(Lang::En, key).is_empty(), "en {key}");
        }
        for s in SortBy::ALL {
            assert!(!s.label(Lang::Zh).is_empty() && !s.label(Lang::En).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn filters_survive_a_trip_through_the_address() {
        let query = LeadQuery {
            status: Some(Status::Proposal),
            grade: Some(Grade::A),
            owner: Some("r12".into()),
            source: Some(Source::TradeShow),
            tag: Some("重点客户".into()),
            q: Some("华信 科技&".into()),
            cursor: None,
        };
        let href = list_href(&query, SortBy::ScoreDesc);
        assert!(href.starts_with("/leads?q="), "{href}");
        let search = href.trim_start_matches("/leads?");
        let pairs: Vec<(String, String)> =
            search.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), decode(v))).collect();
        let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        assert_eq!(query_from(get), query);
        assert_eq!(get("sort").as_deref(), Some("score_desc"));
        assert_eq!(list_href(&LeadQuery::default(), SortBy::Newest), "/leads");
    }

    #[test]
    fn unknown_filter_values_are_ignored() {
        let get = |k: &str| match k {
            "status" => Some("done".to_string()),
            "grade" => Some("Z".to_string()),
            "q" => Some("   ".to_string()),
            _ => None,
        };
        assert_eq!(query_from(get), LeadQuery::default());
        assert_eq!(SortBy::parse("sideways"), SortBy::Newest);
    }

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn sorting_orders_the_loaded_rows_by_score_or_creation() {
        use crate::scoring::{score, ScoreInputs};
        let settings = crate::settings::WorkspaceSettings::default().scoring;
        let lead = |code: &str, day: u32, employees: u32| {
            let profile = crate::domain::lead::LeadProfile { employees: Some(employees), ..Default::default() };
            let at = chrono::DateTime::parse_from_rfc3339(&format!("2026-03-{day:02}T02:00:00Z"))
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_default();
            Lead {
                code: code.into(),
                score: score(&ScoreInputs { employees: Some(employees), ..Default::default() }, &settings),
                grade: Grade::C,
                profile,
                owner: None,
                owner_name: None,
                team: None,
                created_at: at,
                assigned_at: None,
                first_contact_at: None,
                status: Status::New,
                status_since: at,
                won_at: None,
                lost_at: None,
                deal_amount: None,
                loss_reason: None,
                version: 1,
            }
        };
        let mut rows = vec![lead("LX3", 3, 5), lead("LX2", 2, 2000), lead("LX1", 1, 300)];
        SortBy::ScoreDesc.apply(&mut rows);
        assert_eq!(rows.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["LX2", "LX1", "LX3"]);
        SortBy::Oldest.apply(&mut rows);
        assert_eq!(rows.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["LX1", "LX2", "LX3"]);
        SortBy::Newest.apply(&mut rows);
        assert_eq!(rows.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["LX3", "LX2", "LX1"]);
    }
}
