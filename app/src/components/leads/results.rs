//! The leads list's results: how many leads are loaded, the table of the loaded rows in the
//! chosen order and the "load more" footer, or what to do when no lead matches.
use super::load_more::{LoadMoreFooter, MoreLeads};
use super::table::LeadTable;
use crate::domain::lead::LeadList;
use crate::domain::lead_query::{LeadQuery, SortBy};
use crate::error::UiError;
use crate::wire::WireResource;
use leptos::prelude::*;
use leptos_router::components::A;

crate::texts! {
    New: "＋ 新建线索", "＋ New lead";
    Clear: "清除筛选", "Clear filters";
    Loaded: "已加载", "Loaded";
    Rows: "条线索", "leads";
    MoreExist: "，还有更多", ", more to load";
    Loading: "正在加载…", "Loading…";
    Empty: "没有符合条件的线索。", "No leads match these filters.";
    EmptyAll: "还没有线索，先新建一条吧。", "No leads yet: create the first one.";
}

/// The results for `query`: the first page (`first`, newest first from the server) and the
/// pages loaded after it, ordered by `sort`.
#[component]
pub fn LeadResults(
    query: Memo<LeadQuery>,
    sort: Memo<SortBy>,
    first: WireResource<Result<LeadList, UiError>>,
) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let more = MoreLeads::empty();
    let more_pages = more.pages;
    let pending = RwSignal::new(false);

    let rows_view = move || {
        Suspend::new(async move {
            let page = match first.await {
                Ok(page) => page,
                Err(e) => return view! { <p class="form-error" role="alert">{e.message(lang.get())}</p> }.into_any(),
            };
            let first_rows = page.items;
            let first_next = page.next_cursor;
            let all_rows = Signal::derive({
                let first_rows = first_rows.clone();
                move || {
                    let q = query.get();
                    let mut rows = first_rows.clone();
                    more_pages.with(|m| {
                        if let Some(m) = m.as_ref().filter(|m| m.query == q) {
                            rows.extend(m.rows.iter().cloned());
                        }
                    });
                    sort.get().apply(&mut rows);
                    rows
                }
            });
            let next_cursor = Signal::derive(move || {
                let q = query.get();
                more_pages.with(|m| match m.as_ref().filter(|m| m.query == q) {
                    Some(m) => m.next_cursor.clone(),
                    None => first_next.clone(),
                })
            });
            let filtered = query.with_untracked(|q| *q != LeadQuery::default());
            if first_rows.is_empty() {
                return view! {
                    <div class="card empty">
                        <p>{move || t(lang.get(), if filtered { T::Empty } else { T::EmptyAll })}</p>
                        {if filtered {
                            view! { <A href="/leads">{move || t(lang.get(), T::Clear)}</A> }.into_any()
                        } else {
                            view! { <A href="/leads/new">{move || t(lang.get(), T::New)}</A> }.into_any()
                        }}
                    </div>
                }
                .into_any();
            }
            view! {
                <p class="list-count" aria-live="polite">
                    {move || t(lang.get(), T::Loaded)}" "<b>{move || all_rows.with(|rows| rows.len())}</b>" "{move || t(lang.get(), T::Rows)}
                    {move || next_cursor.with(|c| c.is_some()).then(|| t(lang.get(), T::MoreExist))}
                </p>
                <LeadTable rows=all_rows sort=sort/>
                <LoadMoreFooter query=query more=more next_cursor=next_cursor/>
            }
            .into_any()
        })
    };

    view! {
        <section class="lead-results" aria-busy=move || pending.get().to_string()>
            <Transition fallback=move || view! { <p class="hint">{move || t(lang.get(), T::Loading)}</p> }
                set_pending=pending.write_only()>
                {rows_view}
            </Transition>
        </section>
    }
}
